import type { GetAccountCommand } from '@aws-sdk/client-sesv2';
import { describe, expect, it } from 'vitest';
import { readSendQuota, SANDBOX_QUOTA, type SesAccountReader } from '../../functions/adapters/ses-account.js';

/** SES's own API cannot run here: a fake answering GetAccount as SES documents it. */
const answering = (output: Awaited<ReturnType<SesAccountReader['send']>>) => {
  const calls: GetAccountCommand[] = [];
  const ses: SesAccountReader = { send: async (command) => (calls.push(command), output) };
  return { ses, calls };
};

describe('readSendQuota', () => {
  it('reads the rate, the daily quota and whether the account left the sandbox', async () => {
    const { ses, calls } = answering({
      SendQuota: { MaxSendRate: 500, Max24HourSend: 1_000_000, SentLast24Hours: 1234 },
      ProductionAccessEnabled: true,
    });
    expect(await readSendQuota(ses)).toEqual({ maxSendRate: 500, max24HourSend: 1_000_000, sentLast24Hours: 1234, productionAccess: true });
    expect(calls).toHaveLength(1);
    expect(calls[0]!.constructor.name).toBe('GetAccountCommand');
  });

  it('takes the sandbox’s rate when SES leaves it out, never an unlimited one', async () => {
    expect(await readSendQuota(answering({}).ses)).toEqual(SANDBOX_QUOTA);
    expect((await readSendQuota(answering({ SendQuota: { MaxSendRate: 0 } }).ses)).maxSendRate).toBe(1);
  });
});
