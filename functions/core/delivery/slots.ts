/**
 * The provider's slots a worker shares among the batches it works at once: at most `size`
 * messages with the provider, whichever batch they belong to.
 */
export class Slots {
  private used = 0;
  private waiting: Array<() => void> = [];

  constructor(private readonly size: number) {}

  /** A slot taken now, or false when every one is in use. */
  tryTake(): boolean {
    if (this.used >= this.size) return false;
    this.used++;
    return true;
  }

  give(): void {
    this.used--;
    for (const wake of this.waiting.splice(0)) wake();
  }

  /** Settles when a slot is given back. */
  freed(): Promise<void> {
    return new Promise((resolve) => this.waiting.push(resolve));
  }
}
