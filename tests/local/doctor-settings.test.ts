import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { readStageSettings } from '../../functions/local/doctor/settings.js';

describe('pressrun doctor reads the stage settings as cdk synth does', () => {
  const dirs: string[] = [];
  afterEach(async () => Promise.all(dirs.splice(0).map((dir) => rm(dir, { recursive: true, force: true }))));

  async function project(cdkJson: unknown, cdkContextJson?: unknown): Promise<string> {
    const dir = await mkdtemp(join(tmpdir(), 'doctor-settings-'));
    dirs.push(dir);
    await writeFile(join(dir, 'cdk.json'), JSON.stringify(cdkJson));
    if (cdkContextJson) await writeFile(join(dir, 'cdk.context.json'), JSON.stringify(cdkContextJson));
    return dir;
  }

  it("takes cdk.json's context, overridden by the -c flags", async () => {
    const dir = await project({ app: 'x', context: { stage: 'dev', sender: 'news@from-cdk-json.test' } });
    expect(await readStageSettings(dir, [])).toEqual({
      settings: { stage: 'dev', sender: 'news@from-cdk-json.test', domain: 'from-cdk-json.test' },
      unknownSettings: [],
      qualifier: 'hnb659fds',
    });
    const flagged = await readStageSettings(dir, ['stage=prod', 'sender=News@Pressrun.TEST']);
    expect(flagged.settings).toEqual({ stage: 'prod', sender: 'News@Pressrun.TEST', domain: 'pressrun.test' });
  });

  it('reports what cdk synth would reject, and a malformed flag', async () => {
    const dir = await project({ context: {} });
    const { settings } = await readStageSettings(dir, ['stage=qa', 'sender']);
    expect(settings).toEqual({
      problems: ['-c sender: a setting is -c key=value', expect.stringContaining('unknown stage "qa"')],
    });
    const bad = await readStageSettings(dir, ['sender=not-an-address', 'digestCadence=hourly']);
    expect('problems' in bad.settings && bad.settings.problems).toEqual([
      expect.stringContaining('-c sender must be an email address'),
      expect.stringContaining('-c digestCadence must be "publish" or "schedule"'),
    ]);
  });

  it("names -c keys nothing reads, but not the CDK's own", async () => {
    const dir = await project({ context: {} });
    const read = await readStageSettings(dir, ['domain=news.example.org', '@aws-cdk/core:newStyleStackSynthesis=true', 'sender=a@b.test']);
    expect(read.unknownSettings).toEqual(['domain']);
  });

  it('uses the bootstrap qualifier of the context, cdk.context.json included', async () => {
    const dir = await project({ context: {} }, { '@aws-cdk/core:bootstrapQualifier': 'pressrun1' });
    expect((await readStageSettings(dir, [])).qualifier).toBe('pressrun1');
  });
});
