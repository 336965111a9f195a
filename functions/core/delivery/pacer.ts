/**
 * Keeps a process's mails under its share of the provider's rate: n messages take n / rate
 * seconds, whoever sends them (a digest's batches, confirmations, test copies), so pacing, not
 * throttling, keeps the account under its quota. One per process: its calls come one after another.
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

  /** Waits until `count` messages may go, and books their time. */
  async take(count: number): Promise<void> {
    const { waitMs, paceMs } = this.cost(count);
    if (waitMs > 0) await this.deps.sleep(waitMs);
    this.nextAt = this.deps.now().getTime() + paceMs;
  }
}
