/**
 * Dissecting a capture in worker threads. The main thread reads the capture and cuts it into
 * batches of consecutive records (their bytes copied once into a SharedArrayBuffer, with a
 * table of record facts); batch k goes to worker k mod W, which dissects and prints it and
 * sends the text back; the main thread writes the texts in batch order. The output is the same,
 * byte for byte, as one thread's:
 *  - each batch carries the capture's first timestamp and its previous record's, so relative
 *    times, frame.time_delta and (without a display filter) frame.time_delta_displayed are the
 *    same as in one pass (the caller keeps runs that need the previous *displayed* frame under
 *    a filter in one thread);
 *  - state that must see every frame in order (the session correlator of `dissect -V`) is kept
 *    by every worker: with `correlateAll`, each worker also receives the batches of the others
 *    and feeds them to its own correlator, cheaply (no tree, no output), before its next batch;
 *  - reading errors and warnings stay on the main thread: everything read before a truncated
 *    record is printed, then the error is reported, as in one pass.
 *
 * Worker side: BatchReader is the CaptureReader a worker hands to dissectCapture (its `fill()`
 * waits for the next batch of its own).
 */
import { statSync } from 'node:fs';
import { availableParallelism } from 'node:os';
import { Worker } from 'node:worker_threads';
import { openCapture } from '../capture/index.js';
import type { CaptureInfo, CaptureReader, CaptureWarning, InterfaceInfo, PacketRecord, SliceStart } from '../capture/types.js';
import type { TextBuf } from '../engine/textbuf.js';
import type { ByteSink } from './sink.js';

/**
 * Records per batch at most, by default (ParallelOptions.batchRecords; GRETOOL_DISSECT_BATCH
 * overrides both: tests cut small captures into many batches), and bytes per batch at most (a
 * larger record makes a batch alone).
 */
const BATCH_RECORDS = 2048;
const BATCH_OVERRIDE = batchRecords(process.env.GRETOOL_DISSECT_BATCH);
const BATCH_BYTES = 2 << 20;
/** Batches handed out per worker and not yet written. */
const IN_FLIGHT_PER_WORKER = 3;
/**
 * Young generation of each worker (V8's default lets it grow to some 48 MB): a worker's
 * short-lived objects are one batch's packets and lines. 8 MB took 40 MB off -V -j 2 on 1M
 * frames (288 -> 250 MB peak) at the same speed; 4 MB was slower.
 */
const WORKER_YOUNG_MB = 8;
/** Files smaller than this are dissected in one thread (starting workers costs more). */
const MIN_FILE_SIZE = 16 << 20;
/** Facts per record in a batch's table (Float64 each). */
const META = 8;

function batchRecords(env: string | undefined): number | null {
  const n = env === undefined ? NaN : Number(env);
  return Number.isInteger(n) && n >= 1 && n <= 65536 ? n : null;
}

/**
 * Worker threads to use by default (1: none). Each worker costs a start-up and a JIT warm-up of
 * its own (some 0.3 to 0.5 s of CPU), and the main thread spends about 0.4 µs a frame reading and
 * handing out batches; that pays off on two cores only when the output is heavy (the whole tree,
 * some 12 µs a frame): lighter outputs (summary lines, fields) take workers from three cores on,
 * leaving one core to the main thread. At most 4 workers.
 */
export function defaultJobs(heavy: boolean, cores = availableParallelism()): number {
  if (heavy) return cores >= 2 ? Math.min(cores, 4) : 1;
  return cores >= 3 ? Math.min(cores - 1, 4) : 1;
}

/** True when `source` is a regular file large enough for workers to pay off. */
export function worthWorkers(source: string): boolean {
  if (source === '-') return false;
  try {
    const st = statSync(source);
    return st.isFile() && st.size >= MIN_FILE_SIZE;
  } catch {
    return false;
  }
}


/** A batch as posted to a worker. */
export interface BatchMessage extends SliceStart {
  type: 'batch';
  seq: number;
  /** False: another worker prints it; this one only keeps its state (correlateAll). */
  own: boolean;
  n: number;
  bytes: SharedArrayBuffer;
  meta: SharedArrayBuffer;
  /** pcapng comments by record index in the batch. */
  comments?: Record<number, string[]>;
  /** The capture's interfaces, when they changed since the previous batch. */
  interfaces?: InterfaceInfo[];
}

/** A worker's answer: the text of one batch (shared memory: nothing is transferred or detached). */
export interface BatchResult {
  type: 'result';
  seq: number;
  buf: SharedArrayBuffer;
  len: number;
}

interface WorkerFailure {
  type: 'error';
  message: string;
  stack?: string;
}

export interface ParallelOptions {
  workers: number;
  /** The worker script (it calls `serveBatches`). */
  workerUrl: URL;
  /** Plain data for the workers (their workerData.job). */
  job: unknown;
  sink: ByteSink;
  /** Stop after this many records. */
  count?: number;
  /** Text before the first frame and after the last (written by the main thread). */
  begin(out: TextBuf): void;
  end(out: TextBuf): void;
  /** Every worker sees every batch in order (the others' only to keep its state). */
  correlateAll: boolean;
  /**
   * Records per batch (default 2048). Outputs of several kilobytes a frame (-V) take smaller
   * batches: the texts in flight stay small (peak memory).
   */
  batchRecords?: number;
}

export interface ParallelResult {
  /** Records read. */
  read: number;
  warnings: CaptureWarning[];
  /** The reading error that ended the capture early (everything read before it was written). */
  error?: unknown;
}

/**
 * Dissects `source` in `o.workers` worker threads and writes their output to `o.sink` in
 * capture order. A reading error ends the run after everything read before it was written and
 * is returned (with the reader's warnings) for the caller to report; a worker's failure rejects
 * as an internal error.
 */
export async function dissectInWorkers(source: string, o: ParallelOptions): Promise<ParallelResult> {
  const reader = await openCapture(source);
  const W = o.workers;
  const results = new Map<number, BatchResult>();
  let failure: Error | null = null;
  let wake: (() => void) | null = null;
  // set by every event (a result, a worker's exit or error): waitFor() looks again before it
  // sleeps, since an event that comes while it is busy (writing, awaiting the sink) finds no one
  // to wake, and a lost wake-up would end the run quietly once the workers are gone
  let events = 0;
  let running = 0;
  let lastLook = false;
  const poke = () => {
    events++;
    const w = wake;
    wake = null;
    w?.();
  };
  const pool: Worker[] = [];
  const exited: Promise<void>[] = [];
  for (let i = 0; i < W; i++) {
    const w = new Worker(o.workerUrl, { workerData: { job: o.job, info: plainInfo(reader.info), index: i }, resourceLimits: { maxYoungGenerationSizeMb: WORKER_YOUNG_MB } });
    w.on('message', (m: BatchResult | WorkerFailure) => {
      if (m.type === 'result') results.set(m.seq, m);
      else failure ??= Object.assign(new Error(`dissect worker: ${m.message}`), { stack: m.stack });
      poke();
    });
    w.on('error', (e) => {
      failure ??= e instanceof Error ? e : new Error(String(e));
      poke();
    });
    exited.push(
      new Promise<void>((resolve) => {
        w.on('exit', (code) => {
          running--;
          if (code !== 0) failure ??= new Error(`dissect worker exited with code ${code}`);
          poke();
          resolve();
        });
      }),
    );
    pool.push(w);
    running++;
  }

  const sink = o.sink;
  let posted = 0; // batches posted
  let written = 0; // batches written
  const writeReady = async (): Promise<void> => {
    for (let r = results.get(written); r !== undefined; r = results.get(written)) {
      results.delete(written);
      const owner = written % W;
      written++;
      const kept = sink.write(new Uint8Array(r.buf, 0, r.len));
      // the worker writes its next batch into the same memory (unless a stream holds it)
      if (!kept) pool[owner]!.postMessage({ type: 'buffer', buf: r.buf });
    }
    await sink.drain();
  };
  const waitFor = async (limit: number): Promise<void> => {
    for (;;) {
      if (failure) throw failure;
      const seen = events;
      await writeReady();
      if (posted - written <= limit) return;
      if (events !== seen) continue; // something came meanwhile: look again
      if (running === 0) {
        // every worker is gone: nothing can wake us; a result still on its way gets a moment
        if (lastLook) throw new Error(`dissect workers ended with ${posted - written} of ${posted} batches unanswered`);
        lastLook = true;
        await new Promise<void>((resolve) => setTimeout(resolve, 200));
        continue;
      }
      await new Promise<void>((resolve) => (wake = resolve));
    }
  };

  // the batch being built
  const BATCH = BATCH_OVERRIDE ?? o.batchRecords ?? BATCH_RECORDS;
  const meta = new Float64Array(BATCH * META);
  let comments: Record<number, string[]> | undefined;
  let spanData: Uint8Array | null = null;
  let spanStart = 0;
  let spanEnd = 0;
  let n = 0;
  let firstSec = 0;
  let firstNsec = 0;
  let prevSec = 0;
  let prevNsec = 0;
  let hasPrev = false;
  let lastSec = 0;
  let lastNsec = 0;
  let sentIfaces = reader.info.interfaces.length;
  // Shared buffers are reused: batch k's slot is free again once every worker has moved past
  // it, which holds when batch k + W has been written (each worker then answered a later batch,
  // and a worker reads its messages in order).
  const SLOTS = W * (IN_FLIGHT_PER_WORKER + 1) + 1;
  const slotBytes: (SharedArrayBuffer | null)[] = new Array<SharedArrayBuffer | null>(SLOTS).fill(null);
  const slotMeta: SharedArrayBuffer[] = [];
  for (let i = 0; i < SLOTS; i++) slotMeta.push(new SharedArrayBuffer(BATCH * META * 8));
  const flush = async (): Promise<void> => {
    if (n === 0) return;
    const seq = posted++;
    const slot = seq % SLOTS;
    const size = spanEnd - spanStart;
    let bytes = slotBytes[slot]!;
    if (bytes === null || bytes.byteLength < size) bytes = slotBytes[slot] = new SharedArrayBuffer(Math.max(2 * size, 64 << 10));
    new Uint8Array(bytes, 0, size).set(spanData!.subarray(spanStart, spanEnd));
    const metaBuf = slotMeta[slot]!;
    new Float64Array(metaBuf, 0, n * META).set(meta.subarray(0, n * META));
    const msg: BatchMessage = { type: 'batch', seq, own: true, n, bytes, meta: metaBuf, firstSec, firstNsec, prevSec, prevNsec, hasPrev };
    if (comments) msg.comments = comments;
    if (reader.info.interfaces.length !== sentIfaces) {
      sentIfaces = reader.info.interfaces.length;
      msg.interfaces = reader.info.interfaces.map((x) => ({ ...x, comments: [...x.comments] }));
    }
    const owner = seq % W;
    for (let i = 0; i < W; i++) {
      if (i === owner) pool[i]!.postMessage(msg);
      else if (o.correlateAll || msg.interfaces) pool[i]!.postMessage({ ...msg, own: false });
    }
    n = 0;
    comments = undefined;
    spanData = null;
    // in flight at most W * IN_FLIGHT_PER_WORKER, so batch posted - SLOTS + 1 (the next to reuse
    // a slot) is at least W batches behind the last written one
    await waitFor(W * IN_FLIGHT_PER_WORKER);
  };

  let read = 0;
  const max = o.count ?? Infinity;
  let readError: unknown = null;
  try {
    o.begin(sink.out);
    try {
      outer: for (;;) {
        for (let rec = reader.next(); rec !== null; rec = reader.next()) {
          if (read === 0) {
            firstSec = lastSec = rec.tsSec;
            firstNsec = lastNsec = rec.tsNsec;
          }
          if (n > 0 && (rec.data !== spanData || rec.offset < spanEnd || n === BATCH || rec.offset + rec.caplen - spanStart > BATCH_BYTES)) await flush();
          if (n === 0) {
            spanData = rec.data;
            spanStart = rec.offset;
            prevSec = lastSec;
            prevNsec = lastNsec;
            hasPrev = read > 0;
          }
          addRecord(meta, n, rec, spanStart);
          if (rec.comments !== undefined) (comments ??= {})[n] = rec.comments;
          n++;
          spanEnd = rec.offset + rec.caplen;
          lastSec = rec.tsSec;
          lastNsec = rec.tsNsec;
          if (++read >= max) break outer;
        }
        await flush(); // the reader reuses its buffer after fill()
        if (!(await reader.fill())) break;
      }
    } catch (err) {
      if (failure !== null) throw failure;
      readError = err; // reported after everything read before it
    }
    await flush();
    for (const w of pool) w.postMessage({ type: 'end' });
    await waitFor(0);
    o.end(sink.out);
    await sink.drain();
  } finally {
    for (const w of pool) void w.terminate();
    await Promise.all(exited);
    await reader.close();
  }
  const result: ParallelResult = { read, warnings: reader.warnings };
  if (readError !== null) result.error = readError;
  return result;
}

function addRecord(meta: Float64Array, n: number, rec: PacketRecord, spanStart: number): void {
  const k = n * META;
  meta[k] = rec.offset - spanStart;
  meta[k + 1] = rec.caplen;
  meta[k + 2] = rec.origlen;
  meta[k + 3] = rec.linkType;
  meta[k + 4] = rec.frameNumber;
  meta[k + 5] = rec.tsSec;
  meta[k + 6] = rec.tsNsec;
  meta[k + 7] = rec.interfaceId;
}

/** The capture facts a worker needs (plain data). */
function plainInfo(info: CaptureInfo): CaptureInfo {
  return structuredClone(info);
}

/**
 * A worker's CaptureReader: the records of the batches posted to it. `fill()` waits for the
 * next batch this worker prints; batches of other workers that arrive first (correlateAll) are
 * handed record by record to `onForeign`, in order, before it.
 */
export class BatchReader implements CaptureReader {
  readonly warnings: CaptureWarning[] = [];
  /** Called with each record of the other workers' batches. */
  onForeign: ((rec: PacketRecord) => void) | null = null;
  /** Called when a batch of this worker's starts (before its first record). */
  onBatch: ((b: BatchMessage) => void) | null = null;
  private readonly queue: (BatchMessage | { type: 'end' })[] = [];
  private waiting: (() => void) | null = null;
  private batch: BatchMessage | null = null;
  private data: Uint8Array = new Uint8Array(0);
  private meta: Float64Array = new Float64Array(0);
  private i = 0;
  private n = 0;
  private readonly rec: PacketRecord = {
    frameNumber: 0, fileOffset: 0, data: new Uint8Array(0), offset: 0, caplen: 0, origlen: 0,
    tsSec: 0, tsNsec: 0, interfaceId: 0, linkType: 0, comments: undefined,
  };

  constructor(readonly info: CaptureInfo) {}

  /** Output buffers given back by the main thread, for the next batches' text. */
  readonly spare: SharedArrayBuffer[] = [];

  /** Takes a message from the main thread. */
  push(m: BatchMessage | { type: 'end' } | { type: 'buffer'; buf: SharedArrayBuffer }): void {
    if (m.type === 'buffer') {
      this.spare.push(m.buf);
      return;
    }
    this.queue.push(m);
    const w = this.waiting;
    this.waiting = null;
    w?.();
  }

  /** The batch being read (null before the first). */
  get current(): BatchMessage | null {
    return this.batch;
  }

  next(): PacketRecord | null {
    if (this.i >= this.n) return null;
    return this.load(this.i++, this.batch!.comments);
  }

  private load(i: number, comments: Record<number, string[]> | undefined): PacketRecord {
    const m = this.meta;
    const k = i * META;
    const r = this.rec;
    r.data = this.data;
    r.offset = m[k]!;
    r.caplen = m[k + 1]!;
    r.origlen = m[k + 2]!;
    r.linkType = m[k + 3]!;
    r.frameNumber = m[k + 4]!;
    r.tsSec = m[k + 5]!;
    r.tsNsec = m[k + 6]!;
    r.interfaceId = m[k + 7]!;
    r.comments = comments?.[i];
    return r;
  }

  async fill(): Promise<boolean> {
    this.batch = null;
    this.i = this.n = 0;
    for (;;) {
      while (this.queue.length === 0) await new Promise<void>((resolve) => (this.waiting = resolve));
      const m = this.queue.shift()!;
      if (m.type === 'end') return false;
      if (m.interfaces) this.info.interfaces.splice(0, this.info.interfaces.length, ...m.interfaces);
      this.data = new Uint8Array(m.bytes);
      this.meta = new Float64Array(m.meta);
      if (!m.own) {
        const f = this.onForeign;
        if (f !== null) for (let i = 0; i < m.n; i++) f(this.load(i, m.comments));
        continue;
      }
      this.batch = m;
      this.n = m.n;
      this.onBatch?.(m);
      return true;
    }
  }

  /** Where the current batch sits in time (dissectCapture sets the pipeline's references from it). */
  sliceStart(): SliceStart | null {
    return this.batch;
  }

  async close(): Promise<void> {}
}
