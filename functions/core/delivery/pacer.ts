/**
 * Keeps a process's mails under its share of the provider's rate: n messages take n / rate
 * seconds, whoever sends them (a digest's batches, confirmations, test copies), so pacing, not
 * throttling, keeps the account under its quota. One per process, shared by everything it
 * sends at once: each call books its time when it is made, so callers at once queue up.
 */
export class Pacer {
  private nextAt = 0;

  constructor(
    private readonly ratePerSecond: number,
    private readonly deps: { now: () => Date; sleep: (ms: number) => Promise<void> },
  ) {}

  /** How long `count` messages would wait before they may go, and then how long they take. */
  cost(count: number): { waitMs: number; paceMs: number } {
    return { waitMs: Math.max(0, this.nextAt - this.deps.now().getTime()), paceMs: (count / this.ratePerSecond) * 1000 };
  }

  /** Books the time of `count` messages at once, then waits until they may go. */
  async take(count: number): Promise<void> {
    const { waitMs, paceMs } = this.cost(count);
    this.nextAt = this.deps.now().getTime() + waitMs + paceMs;
    if (waitMs > 0) await this.deps.sleep(waitMs);
  }

  /** Books `count` messages if they may go now; false, booking nothing, when they would have to wait. */
  takeNow(count: number): boolean {
    if (this.cost(count).waitMs > 0) return false;
    void this.take(count);
    return true;
  }
}
