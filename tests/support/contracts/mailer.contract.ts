/**
 * What every Mailer does (functions/core/mail/ports.ts): it answers with an id once the provider
 * took the message, and when it did not, fails with a MailerError whose `failure` says whether the
 * provider may have taken it (core/mail/mailer-error.ts). Run against SesMailer, SmtpMailer and the
 * in-memory fake by tests/adapters/ses-mailer.test.ts and tests/adapters/smtp-mailer.test.ts.
 */
import { afterEach, describe, expect, it } from 'vitest';
import { MailerError, type MailFailure } from '../../../functions/core/mail/mailer-error.js';
import type { Mailer } from '../../../functions/core/mail/ports.js';
import { makeMailMessage } from '../factories.js';

export interface MailerUnderTest {
  mailer: Mailer;
  /** The envelope recipient of each message the provider took. */
  delivered(): Promise<string[]>;
  close?(): Promise<void> | void;
}

/** How the provider behind a mailer answers: the contract checks each one a harness can set up. */
export type ProviderAnswer = 'accepting' | 'throttling' | 'refusing' | 'unavailable' | 'refusing-us' | 'losing-answers';

const FAILURES: Array<{ answer: Exclude<ProviderAnswer, 'accepting'>; failure: MailFailure; delivered: boolean; when: string }> = [
  { answer: 'throttling', failure: 'throttled', delivered: false, when: 'the provider throttles' },
  { answer: 'refusing', failure: 'rejected', delivered: false, when: 'the provider refuses the message' },
  { answer: 'unavailable', failure: 'unavailable', delivered: false, when: 'the provider cannot send' },
  { answer: 'refusing-us', failure: 'misconfigured', delivered: false, when: 'the provider refuses this deployment' },
  { answer: 'losing-answers', failure: 'unknown', delivered: true, when: 'the answer is lost after the provider took the message' },
];

/** @param harnesses a fresh mailer for each provider answer this implementation can be put in front of; `accepting` is required. */
export function describeMailerContract(
  name: string,
  harnesses: { accepting: () => Promise<MailerUnderTest> } & Partial<
    Record<Exclude<ProviderAnswer, 'accepting'>, () => Promise<MailerUnderTest>>
  >,
): void {
  describe(`${name} as a Mailer`, () => {
    const open: MailerUnderTest[] = [];
    const start = async (answer: ProviderAnswer) => {
      const harness = await harnesses[answer]!();
      open.push(harness);
      return harness;
    };
    afterEach(async () => {
      for (const harness of open.splice(0)) await harness.close?.();
    });

    it('hands the message to the provider for its bare recipient address, and answers with an id', async () => {
      const { mailer, delivered } = await start('accepting');

      const { messageId } = await mailer.send(makeMailMessage({ to: 'Reader <reader@example.com>' }));

      expect(messageId).toEqual(expect.any(String));
      expect(messageId).not.toBe('');
      expect(await delivered()).toEqual(['reader@example.com']);
    });

    it('gives each message an id of its own', async () => {
      const { mailer, delivered } = await start('accepting');
      const recipients = ['a@example.com', 'b@example.com', 'c@example.com'];

      const ids = [];
      for (const to of recipients) ids.push((await mailer.send(makeMailMessage({ to }))).messageId);

      expect(new Set(ids).size).toBe(3);
      expect((await delivered()).sort()).toEqual(recipients);
    });

    // Only the answers this implementation's harness can set up; SMTP, for one, has no way to lose an answer on demand.
    for (const { answer, failure, delivered: taken, when } of FAILURES.filter(({ answer }) => harnesses[answer] !== undefined)) {
      it(`fails with a MailerError saying ${failure} when ${when}${taken ? ', though it delivered the message' : ', delivering nothing'}`, async () => {
        const { mailer, delivered } = await start(answer);

        const error = await mailer.send(makeMailMessage()).catch((e: unknown) => e);

        expect(error).toBeInstanceOf(MailerError);
        expect((error as MailerError).failure).toBe(failure);
        expect(await delivered()).toEqual(taken ? ['reader@example.com'] : []);
      });
    }
  });
}
