/**
 * The stateless stack's functions as it deploys them, for running their bundles here: each
 * one's environment variables (literal strings as they are; references, such as the table's
 * name or a queue's URL, as undefined for the caller to fill in with a local counterpart) and
 * its memory size, which a local run takes as its heap limit.
 */
import { App } from 'aws-cdk-lib';
import { Template } from 'aws-cdk-lib/assertions';
import type { CfnFunction } from 'aws-cdk-lib/aws-lambda';
import { stageConfig } from '../../cdk/config.js';
import type { PressrunFunction } from '../../cdk/constructs/pressrun-function.js';
import { buildStacks } from '../../cdk/stacks.js';
import { removeAssembly } from './cdk-app.js';

export type FunctionName = 'api' | 'articles' | 'publish' | 'publishChunks' | 'preview' | 'sendWorker' | 'sesEvents';

export interface StackFunction {
  variables: Record<string, string | undefined>;
  memoryMb: number;
}

export function stackFunctions(): Record<FunctionName, StackFunction> {
  const app = new App({ context: { 'aws:cdk:bundling-stacks': [] } });
  const { stateless } = buildStacks(app, stageConfig('dev', { sender: 'news@example.com' }));
  const template = Template.fromStack(stateless).toJSON();
  // Read into memory: the cdk.out folder the app made in the temp folder goes (tests/support/cdk-app.ts says why).
  removeAssembly(app);
  const resources = template.Resources as Record<
    string,
    { Properties: { MemorySize: number; Environment: { Variables: Record<string, unknown> } } }
  >;
  const of = (fn: PressrunFunction): StackFunction => {
    const { Environment, MemorySize } = resources[stateless.getLogicalId(fn.fn.node.defaultChild as CfnFunction)]!.Properties;
    return {
      variables: Object.fromEntries(
        Object.entries(Environment.Variables).map(([name, value]) => [name, typeof value === 'string' ? value : undefined]),
      ),
      memoryMb: MemorySize,
    };
  };
  return {
    api: of(stateless.api),
    articles: of(stateless.articles),
    publish: of(stateless.publish),
    publishChunks: of(stateless.publishChunks),
    preview: of(stateless.preview),
    sendWorker: of(stateless.sendWorker),
    sesEvents: of(stateless.sesEvents),
  };
}

/**
 * A function's variables here: the stack's, its references replaced from `references`, over
 * what the Lambda runtime gives every function (`runtime`). A reference with no local value
 * is an error: the stack passes something a local run cannot play.
 */
export function localEnvironment(
  name: string,
  fn: StackFunction,
  references: Record<string, string>,
  runtime: Record<string, string>,
): Record<string, string> {
  const env = { ...runtime };
  for (const [variable, value] of Object.entries(fn.variables)) {
    const local = value ?? references[variable];
    if (local === undefined) throw new Error(`The stack passes ${variable} to ${name} as a reference this run has no local value for`);
    env[variable] = local;
  }
  return env;
}
