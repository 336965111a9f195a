/**
 * Writes a full publish's outputs a chunk at a time: compares each chunk with the manifest and
 * writes what differs (write-phases.ts: PENDING first). Every entry it writes or finds unchanged
 * carries the publish's stamp, so what nothing produced is whatever lacks it at the end
 * (full-finish.ts), and no key need be kept in memory.
 */
import { limiter } from '../concurrency.js';
import type { OutputObject } from '../site.js';
import { planPublish } from './plan.js';
import type { ManifestStore, ObjectStore } from './ports.js';
import { writePhases } from './write-phases.js';

/** How often, in objects written, the run hears how far the publish came. */
const PROGRESS_EVERY = 500;

export interface ChunkWriterOptions {
  objects: Pick<ObjectStore, 'put'>;
  manifest: Pick<ManifestStore, 'get' | 'put'>;
  /** Object writes in flight at once, across every chunk this writer writes. */
  concurrency: number;
  /** Write every object whatever the manifest says. */
  rewrite: boolean;
  /** This publish (and pass) among all others: every entry it produces carries it. */
  stamp: string;
  onProgress?: (progress: { written: number; planned: number }) => Promise<void>;
}

export class ChunkWriter {
  readonly written = new Set<string>();
  unchanged = 0;
  private rewrite: boolean;
  private readonly put: (object: OutputObject) => Promise<void>;
  private planned = 0;
  private done = 0;
  private reported = 0;

  private stamp: string;

  constructor(private readonly options: ChunkWriterOptions) {
    this.rewrite = options.rewrite;
    this.stamp = options.stamp;
    const limit = limiter(options.concurrency);
    this.put = (object) => limit(() => options.objects.put(object));
  }

  /** A later pass compares with what the manifest says the first one wrote, and stamps what it produces anew. */
  nextPass(stamp: string): void {
    this.unchanged = 0;
    this.rewrite = false;
    this.stamp = stamp;
  }

  async write(outputs: OutputObject[]): Promise<void> {
    const previous = this.rewrite ? new Map<string, string>() : await this.options.manifest.get(outputs.map((o) => o.key));
    const plan = planPublish(outputs, previous, []);
    this.unchanged += plan.unchanged;
    this.planned += plan.hashes.size;
    const stamp = this.stamp;
    // What is unchanged is not written, but is confirmed as produced.
    const confirmed = outputs.filter((o) => !plan.hashes.has(o.key)).map((o) => ({ key: o.key, value: previous.get(o.key)!, stamp }));
    await writePhases(this.options.manifest, plan, this.put, { withFirst: confirmed, stamp, written: (count) => this.progress(count) });
    for (const key of plan.hashes.keys()) this.written.add(key);
  }

  private async progress(count: number): Promise<void> {
    this.done += count;
    if (!this.options.onProgress || (this.reported > 0 && this.done - this.reported < PROGRESS_EVERY)) return;
    this.reported = this.done;
    await this.options.onProgress({ written: this.done, planned: this.planned });
  }
}
