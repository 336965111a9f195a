/**
 * `pressrun doctor [-c key=value …]`: checks what a first deploy of the stage needs, with the
 * operator's AWS credentials, and prints each check with how to fix it. Exit code 1 when a check
 * fails. The CLI imports this file only for the doctor command: the SDK clients load with it.
 */
import { fileURLToPath } from 'node:url';
import { doctorChecks, doctorExitCode, formatChecks } from './checks.js';
import { gatherFacts } from './gather.js';
import { readStageSettings } from './settings.js';

const projectDir = fileURLToPath(new URL('../../../', import.meta.url));

export async function runDoctor(contextFlags: string[], log: (text: string) => void = console.log): Promise<number> {
  const facts = await gatherFacts(await readStageSettings(projectDir, contextFlags));
  const checks = doctorChecks(facts);
  log(formatChecks(checks));
  return doctorExitCode(checks);
}
