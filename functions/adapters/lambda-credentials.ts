/**
 * The credential provider of every AWS client in a Lambda bundle: cdk/bundling.ts aliases
 * @aws-sdk/credential-provider-node to this file. Lambda hands a function its role's
 * credentials in the environment, so the default chain's other providers (SSO, profile
 * files, processes, web identity, the instance metadata service) and the STS and SSO clients
 * they bring, about 90 KB of the API bundle and its cold start, would never run there.
 * Outside a bundle (npm start, tests, the CLI) the SDK's own default chain applies.
 */
import { fromEnv } from '@aws-sdk/credential-provider-env';

export const defaultProvider = fromEnv;
