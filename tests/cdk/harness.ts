/** Both stacks of a stage, synthesized without bundling (fast), with templates to assert on. */
import { readFileSync } from 'node:fs';
import { App, Stack, type Environment } from 'aws-cdk-lib';
import { Template } from 'aws-cdk-lib/assertions';
import { stageConfig, type StageOverrides } from '../../cdk/config.js';
import { buildStacks } from '../../cdk/stacks.js';
import { removeAssembly } from '../support/cdk-app.js';

/** cdk.json's context (feature flags), as `cdk synth` applies it. */
const cdkJsonContext = (
  JSON.parse(readFileSync(new URL('../../cdk.json', import.meta.url), 'utf8')) as { context: Record<string, unknown> }
).context;

/** The sender every synthesized stage gets unless a test gives its own: -c sender is required. */
export const TEST_SENDER = 'news@example.com';

/** `env` as a deploy gives it (the caller's account and region); without it the stacks are environment-agnostic, as in `npm run synth`. */
export function synthesize(stage = 'dev', overrides: StageOverrides = {}, env?: Environment, context: Record<string, unknown> = {}) {
  const app = new App({ context: { ...cdkJsonContext, ...context, 'aws:cdk:bundling-stacks': [] } });
  try {
    const stacks = buildStacks(app, stageConfig(stage, { sender: TEST_SENDER, ...overrides }), { env });
    // Every stack's template read before the cdk.out folder goes (the stage may add one for CloudFront's access logs).
    const templates = new Map(
      app.node.children.filter((child) => child instanceof Stack).map((stack) => [stack, Template.fromStack(stack)]),
    );
    const templateOf = (stack: Stack) => templates.get(stack)!;
    return { app, ...stacks, stateful: templateOf(stacks.stateful), stateless: templateOf(stacks.stateless), templateOf, stacks };
  } finally {
    // Also when the stage refuses its settings, which some tests expect.
    removeAssembly(app);
  }
}

export type Synthesized = ReturnType<typeof synthesize>;

type Resource = { Type: string; Properties: Record<string, unknown> };

/** Every resource of a type, by logical id. */
export function resourcesOf(template: Template, type: string): Array<[string, Resource]> {
  return Object.entries(template.findResources(type)) as Array<[string, Resource]>;
}
