/** Readers' marks and articles' first placements in memory, held to DynamoDeliveryMarks by tests/support/contracts/delivery-marks.contract.ts. */
import type { DeliveryMarks, ReaderMark } from '../../../functions/core/delivery/ports.js';

export class InMemoryDeliveryMarks implements DeliveryMarks {
  readonly marks = new Map<string, ReaderMark>();
  readonly offers = new Map<string, string>();
  private tick: string | undefined;
  /** Items written, as DynamoDB would count them (for the bench and the tests of what a send costs). */
  writes = 0;

  async readers(ids: string[]): Promise<Map<string, ReaderMark>> {
    return new Map(ids.flatMap((id) => (this.marks.has(id) ? [[id, structuredClone(this.marks.get(id)!)] as const] : [])));
  }

  async setReaders(marks: Array<{ id: string; mark: ReaderMark }>): Promise<void> {
    for (const { id, mark } of marks) this.marks.set(id, structuredClone(mark));
    this.writes += marks.length;
  }

  async offered(articleIds: string[]): Promise<Map<string, string>> {
    return new Map(articleIds.flatMap((id) => (this.offers.has(id) ? [[id, this.offers.get(id)!] as const] : [])));
  }

  async offer(entries: Array<{ id: string; placed: string }>): Promise<void> {
    for (const { id, placed } of entries) {
      if (this.offers.has(id)) continue;
      this.offers.set(id, placed);
      this.writes++;
    }
  }

  async lastTick(): Promise<string | undefined> {
    return this.tick;
  }

  async setLastTick(at: string): Promise<void> {
    this.tick = at;
  }
}
