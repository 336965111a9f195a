/** What a publish needs from the outside: the site bucket, the manifest of what it holds, publish runs, the WebSub hub. */
import type { OutputObject } from '../site.js';

export interface StoredObject {
  key: string;
  body: Uint8Array;
  contentType: string;
  cacheControl?: string;
  etag: string;
  lastModified: Date;
}

export interface ObjectStore {
  put(object: OutputObject): Promise<void>;
  /** undefined when the key does not exist; 'not-modified' when a condition says the caller's copy is current. */
  get(key: string, conditions?: { ifNoneMatch?: string; ifModifiedSince?: Date }): Promise<StoredObject | 'not-modified' | undefined>;
  /** Deleting a missing key is not an error. */
  delete(keys: string[]): Promise<void>;
  /** In key order (UTF-8 bytes), from after `startAfter` when given. */
  list(prefix?: string, startAfter?: string): AsyncIterable<{ key: string; etag: string; size: number }>;
}

/**
 * What the publishes wrote, by key: for an object of the bucket, the hash of what is in it; under
 * `_pressrun/`, the publish's own state (the settings' fingerprint, each scope's archive pages).
 */
export interface ManifestEntry {
  key: string;
  /** An object's content hash, or a state (see ManifestStore). */
  value: string;
  /**
   * The full publish that wrote or confirmed the entry: once its last chunk has landed, the
   * entries without its stamp are what it no longer produces (full-finish.ts). Absent: written
   * by an incremental publish, or marked for deletion.
   */
  stamp?: string;
}

export interface ManifestStore {
  get(keys: string[]): Promise<Map<string, string>>;
  /** The stamp of each key the manifest holds (undefined: none). */
  stamps(keys: string[]): Promise<Map<string, string | undefined>>;
  /** How many parts `unstamped` lists the manifest in: each can be swept on its own, in parallel. */
  readonly parts: number;
  /** Pages of the keys in one part (0 ≤ part < parts) that do not carry `stamp`; a page's keys may be deleted before the next is read. */
  unstamped(part: number, stamp: string): AsyncIterable<string[]>;
  all(): Promise<Map<string, string>>;
  put(entries: ManifestEntry[]): Promise<void>;
  delete(keys: string[]): Promise<void>;
}

export interface PublishReport {
  /** true when every output was rebuilt (first publish, or asked for). */
  full: boolean;
  /** The keys written; as stored on a run, only the first of them when `listed` says there were more. */
  written: string[];
  unchanged: number;
  deleted: string[];
  /**
   * Set on a run's stored report when its lists were too long for the run's item (a full
   * publish of a large archive): how many keys were written and deleted; the lists hold the first.
   */
  listed?: { written: number; deleted: number };
  /** The digest this publish made; `carriedOver`: the new articles it had no room for, which the next digest carries. */
  digest?: { id: string; articles: number; htmlBytes: number; carriedOver?: number };
  /** Articles this publish left out because they break a rule of the feeds, with the rule: fix them and publish again. */
  leftOut?: Array<{ slug: string; reason: string }>;
  /** The feed URLs the WebSub hub was told about, and why telling it failed (a publish never fails for it). */
  websub?: { pinged: string[]; error?: string };
  durationMs: number;
  /** A fanned-out publish: how many chunks it had, in how many generations, and those that needed more than one try. */
  chunks?: { total: number; generations: number; retried?: Array<{ id: string; attempts: number }> };
}

export type PublishRunStatus = 'queued' | 'running' | 'succeeded' | 'failed';

export interface PublishRun {
  id: string;
  status: PublishRunStatus;
  requestedAt: string;
  /** Asked to make every object right, whatever the manifest says (POST /api/publish {"full": true}, `pressrun publish --full`). */
  full?: boolean;
  startedAt?: string;
  finishedAt?: string;
  report?: PublishReport;
  error?: string;
  /** When a reconciler last wrote the queued run anew because nothing had started it. */
  redrivenAt?: string;
  /** While running: the objects written so far of those planned, so a run that stopped says how far it came. */
  progress?: { written: number; planned: number; at: string };
  /** When the publish was fanned out over chunks (fan-out.ts): the invocation that started it has ended, the chunks carry it on. */
  fannedOutAt?: string;
}

/**
 * How long the deployed publish function may run (cdk/constructs/publish-function.ts uses it as
 * its timeout): a run still `running` for longer has no process left.
 */
export const PUBLISH_TIMEOUT_MS = 10 * 60_000;

/**
 * How long the chunk function may carry out one chunk of a fanned-out publish (its timeout):
 * chunks are cut to take well under two minutes (FANNED_OUT_CHUNKS in fan-out.ts).
 */
export const PUBLISH_CHUNK_TIMEOUT_MS = 3 * 60_000;

/**
 * How long a fanned-out publish may take before the reconciler takes it for one left behind: its
 * chunks are retried by their queue for hours (publish-chunks.ts in cdk/constructs) before they are
 * dead-lettered, which raises an alarm.
 */
export const FANNED_OUT_RUNNING_MS = 6 * 3_600_000;

export interface PublishRunStore {
  create(run: PublishRun): Promise<void>;
  get(id: string): Promise<PublishRun | undefined>;
  update(run: PublishRun): Promise<void>;
  /** Every run not yet succeeded or failed (queued or running), oldest request first. */
  unfinished(): Promise<PublishRun[]>;
  /**
   * Writes a run that is still queued anew (marked `redrivenAt`), so whatever starts new queued
   * runs (the table's stream) sees it again; false when it is no longer queued.
   */
  redrive(id: string, now: Date): Promise<boolean>;
  /** The time of the last publish that succeeded, used to find articles that became due since. */
  lastSucceededAt(): Promise<string | undefined>;
  setLastSucceededAt(at: string): Promise<void>;
}

/** Starts a queued publish run: in-process locally; in the cloud, writing the run was enough (the table's stream starts it). */
export interface PublishTrigger {
  trigger(runId: string): Promise<void>;
}

/** Tells a WebSub hub (https://www.w3.org/TR/websub/) that feeds changed, so it fetches and pushes them. */
export interface WebSubPublisher {
  /** Rejects when the hub did not accept every URL; the publish logs it and carries on. */
  publish(topicUrls: string[]): Promise<void>;
}
