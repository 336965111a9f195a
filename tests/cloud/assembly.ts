/**
 * The stacks synthesized once per run, with bundling, exactly as `cdk synth` builds them: the
 * templates and the cdk.out assets the functions deploy. Everything else in the rehearsal is
 * read from here, by resource type, never by a name written in a test.
 */
import { readFileSync } from 'node:fs';
import { mkdtemp } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { App } from 'aws-cdk-lib';
import { stageConfig, type StageOverrides } from '../../cdk/config.js';
import { buildStacks } from '../../cdk/stacks.js';

export interface CfnResource {
  Type: string;
  Properties?: Record<string, unknown>;
  Metadata?: Record<string, unknown>;
  DependsOn?: string | string[];
}

export interface CfnTemplate {
  Resources: Record<string, CfnResource>;
  Outputs?: Record<string, { Value: unknown; Export?: { Name: unknown } }>;
  Parameters?: Record<string, { Type: string; Default?: unknown }>;
  Mappings?: Record<string, Record<string, Record<string, unknown>>>;
}

export interface SynthesizedStack {
  name: string;
  template: CfnTemplate;
  /** Stacks this one depends on (deployed first). */
  dependencies: string[];
}

export interface Assembly {
  outdir: string;
  /** In deployment order. */
  stacks: SynthesizedStack[];
  /** The sender address given as `-c sender`. */
  sender: string;
  ms: number;
}

const cdkJsonContext = (
  JSON.parse(readFileSync(new URL('../../cdk.json', import.meta.url), 'utf8')) as { context: Record<string, unknown> }
).context;

export const REHEARSAL_SENDER = 'news@rehearsal.example.org';

/** Synthesizes the dev stage with bundling (the deployed bundles) into a fresh directory. */
export async function synthesize(overrides: StageOverrides = {}): Promise<Assembly> {
  const started = performance.now();
  const outdir = await mkdtemp(join(tmpdir(), 'pressrun-cloud-'));
  const app = new App({
    outdir,
    context: { ...cdkJsonContext, 'aws:cdk:enable-path-metadata': true, 'aws:cdk:enable-asset-metadata': true },
  });
  const sender = overrides.sender ?? REHEARSAL_SENDER;
  buildStacks(app, stageConfig('dev', { sender, ...overrides }));
  const assembly = app.synth();
  const byName = new Map(assembly.stacks.map((s) => [s.stackName, s]));
  const ordered: SynthesizedStack[] = [];
  const visit = (name: string) => {
    if (ordered.some((s) => s.name === name)) return;
    const stack = byName.get(name)!;
    const dependencies = stack.dependencies.map((d) => d.id).filter((id) => byName.has(id));
    for (const d of dependencies) visit(d);
    ordered.push({ name, template: stack.template as CfnTemplate, dependencies });
  };
  for (const name of byName.keys()) visit(name);
  return { outdir, stacks: ordered, sender, ms: performance.now() - started };
}

/** The construct path's part under the stack ("Pressrun-dev-stateless/SendWorker/Function/Resource" → "SendWorker"). */
export function constructName(logicalId: string, resource: CfnResource): string {
  const path = resource.Metadata?.['aws:cdk:path'];
  return typeof path === 'string' ? (path.split('/')[1] ?? logicalId) : logicalId;
}
