/**
 * The stage's settings as `cdk synth` reads them: cdk.json's context (then cdk.context.json's),
 * overridden by the `-c key=value` flags given to the doctor, turned into a StageConfig by the
 * same function cdk/app.ts calls.
 */
import { readFile } from 'node:fs/promises';
import { join } from 'node:path';
import { STAGE_OVERRIDE_KEYS, StageConfigError, senderDomain, stageConfigFromContext } from '../../../cdk/config.js';
import type { SettingsFacts } from './checks.js';

export interface StageSettings {
  settings: SettingsFacts | { problems: string[] };
  /** `-c` keys that neither Pressrun nor the CDK reads (a typo such as `-c domain=…`). */
  unknownSettings: string[];
  /** The CDK bootstrap qualifier (`@aws-cdk/core:bootstrapQualifier`), hnb659fds unless set. */
  qualifier: string;
}

const DEFAULT_QUALIFIER = 'hnb659fds';

export async function readStageSettings(projectDir: string, contextFlags: string[]): Promise<StageSettings> {
  const context: Record<string, unknown> = {
    ...(await fileContext(join(projectDir, 'cdk.json'), true)),
    ...(await fileContext(join(projectDir, 'cdk.context.json'), false)),
  };
  const flagged: string[] = [];
  const problems: string[] = [];
  for (const flag of contextFlags) {
    const at = flag.indexOf('=');
    if (at <= 0) {
      problems.push(`-c ${flag}: a setting is -c key=value`);
      continue;
    }
    context[flag.slice(0, at)] = flag.slice(at + 1);
    flagged.push(flag.slice(0, at));
  }
  const known = new Set<string>(['stage', ...STAGE_OVERRIDE_KEYS]);
  // Keys with a colon or slash are the CDK's own (feature flags, the bootstrap qualifier).
  const unknownSettings = flagged.filter((key) => !known.has(key) && !/[:/]/.test(key));
  const qualifier =
    typeof context['@aws-cdk/core:bootstrapQualifier'] === 'string' ? context['@aws-cdk/core:bootstrapQualifier'] : DEFAULT_QUALIFIER;
  return { settings: stageSettings(context, problems), unknownSettings, qualifier };
}

function stageSettings(context: Record<string, unknown>, problems: string[]): StageSettings['settings'] {
  try {
    const config = stageConfigFromContext((key) => context[key]);
    if (problems.length > 0) return { problems };
    return { stage: config.stage, sender: config.email.sender, domain: senderDomain(config) };
  } catch (error) {
    if (error instanceof StageConfigError) return { problems: [...problems, ...error.problems] };
    throw error;
  }
}

/** cdk.json keeps its context under "context"; cdk.context.json is all context. */
async function fileContext(path: string, nested: boolean): Promise<Record<string, unknown>> {
  let text: string;
  try {
    text = await readFile(path, 'utf8');
  } catch {
    return {};
  }
  const parsed = JSON.parse(text) as Record<string, unknown>;
  return ((nested ? parsed.context : parsed) ?? {}) as Record<string, unknown>;
}
