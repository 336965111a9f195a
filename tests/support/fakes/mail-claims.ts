/** Claims on queued mails in memory, held to DynamoMailClaims by tests/support/contracts/mail-claims.contract.ts. */
import type { MailClaims } from '../../../functions/core/delivery/ports.js';

export class InMemoryMailClaims implements MailClaims {
  /** When each mail was claimed, by mail id. */
  readonly claimed = new Map<string, Date>();

  async claim(mailId: string, now: Date): Promise<boolean> {
    if (this.claimed.has(mailId)) return false;
    this.claimed.set(mailId, new Date(now));
    return true;
  }

  async release(mailId: string): Promise<void> {
    this.claimed.delete(mailId);
  }
}
