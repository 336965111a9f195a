/** Both stacks of a stage, synthesized without bundling (fast), with templates to assert on. */
import { readFileSync } from 'node:fs';
import { App, type Environment } from 'aws-cdk-lib';
import { Template } from 'aws-cdk-lib/assertions';
import { stageConfig, type StageOverrides } from '../../cdk/config.js';
import { buildStacks } from '../../cdk/stacks.js';

/** cdk.json's context (feature flags), as `cdk synth` applies it. */
const cdkJsonContext = (
  JSON.parse(readFileSync(new URL('../../cdk.json', import.meta.url), 'utf8')) as { context: Record<string, unknown> }
).context;

/** The sender every synthesized stage gets unless a test gives its own: -c sender is required. */
export const TEST_SENDER = 'news@example.com';

/** `env` as a deploy gives it (the caller's account and region); without it the stacks are environment-agnostic, as in `npm run synth`. */
export function synthesize(stage = 'dev', overrides: StageOverrides = {}, env?: Environment, context: Record<string, unknown> = {}) {
  const app = new App({ context: { ...cdkJsonContext, ...context, 'aws:cdk:bundling-stacks': [] } });
  const stacks = buildStacks(app, stageConfig(stage, { sender: TEST_SENDER, ...overrides }), { env });
  return { app, ...stacks, stateful: Template.fromStack(stacks.stateful), stateless: Template.fromStack(stacks.stateless), stacks };
}

export type Synthesized = ReturnType<typeof synthesize>;

type Resource = { Type: string; Properties: Record<string, unknown> };

/** Every resource of a type, by logical id. */
export function resourcesOf(template: Template, type: string): Array<[string, Resource]> {
  return Object.entries(template.findResources(type)) as Array<[string, Resource]>;
}
