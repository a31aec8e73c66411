/**
 * Dissecting a capture in worker threads. The main thread reads the capture and cuts it into
 * batches of consecutive records (their bytes copied once into a SharedArrayBuffer, with a
 * table of record facts); each batch goes to the worker with the fewest batches to answer,
 * which dissects and prints it and sends the text back; the main thread writes the texts in
 * batch order. The output is the same, byte for byte, as one thread's:
 *  - each batch carries the capture's first timestamp and its previous record's, so relative
 *    times, frame.time_delta and (without a display filter) frame.time_delta_displayed are the
 *    same as in one pass (the caller keeps runs that need the previous *displayed* frame under
 *    a filter in one thread);
 *  - state that must see every frame in order (the session correlator of `dissect -V`) is kept
 *    once, by worker 0: with `notes`, it also receives the other workers' batches and writes a
 *    few numbers per record (the session attribution) into each batch's shared notes
 *    (BatchReader.annotator), between its own frames; a worker waits for its batch's notes
 *    before dissecting it. The other workers keep no such state (on the main thread, whose
 *    young generation cannot be capped, the correlator took some 25 MB more);
 *  - reading errors and warnings stay on the main thread: everything read before a truncated
 *    record is printed, then the error is reported, as in one pass.
 *
 * Worker side: BatchReader is the CaptureReader a worker hands to dissectCapture (its `fill()`
 * waits for the next batch of its own).
 */
import { statSync } from 'node:fs';
import { availableParallelism } from 'node:os';
import { receiveMessageOnPort, Worker, type MessagePort } from 'node:worker_threads';
import { openCapture } from '../capture/index.js';
import type { CaptureInfo, CaptureReader, CaptureWarning, InterfaceInfo, PacketRecord, SliceStart } from '../capture/types.js';
import type { TextBuf } from '../engine/textbuf.js';
import type { ByteSink } from './sink.js';
import { UsageError } from '../errors.js';

/**
 * Records per batch at most, by default (ParallelOptions.batchRecords; GRETOOL_DISSECT_BATCH
 * overrides both: tests cut small captures into many batches), and bytes per batch at most (a
 * larger record makes a batch alone).
 */
const BATCH_RECORDS = 2048;
const BATCH_OVERRIDE = batchRecords(process.env.GRETOOL_DISSECT_BATCH);
const BATCH_BYTES = 2 << 20;
/**
 * Batches handed out per worker and not yet written. With -V each is some 1.1 MB of text in
 * flight: 2 took 7 MB off -V -j 2 on 1M frames at the same speed (1 was slower).
 */
const IN_FLIGHT_PER_WORKER = 2;
/**
 * Chunk size of the main thread's reader (the readers' default is 4 MB, and they read one chunk
 * ahead): records are copied out of it into the batches.
 */
const READ_CHUNK = 512 << 10;
/**
 * Young generation of each worker (V8's default lets it grow to some 48 MB): a worker's
 * short-lived objects are one batch's packets and lines. 8 MB took 40 MB off -V -j 2 on 1M
 * frames (288 -> 250 MB peak) at the same speed; 6 MB some 6 MB more, at the same speed (4 MB
 * saved nothing more).
 */
const WORKER_YOUNG_MB = 6;
/**
 * Old generation limit of the workers that keep no state across batches (all but the one that
 * notes the session attribution). Below 2 GB, V8 lets a heap grow by a smaller factor between
 * full collections (1.6 at 1 GB, against 4 by default), at the same speed. Such a worker's heap
 * is some 20 MB whatever the capture; worker 0's session state grows with the bindings (some
 * 30 MB for 10,000), so it gets no limit: a capture with very many bindings must not fail where
 * one thread works.
 */
const WORKER_OLD_MB = 1024;
/** ... and worker 0's, when it keeps the session state: just under 2 GB, where V8 still grows the heap by 2 rather than 4. */
const STATEFUL_OLD_MB = 2047;
/** Files smaller than this are dissected in one thread (starting workers costs more). */
const MIN_FILE_SIZE = 16 << 20;
/** Worker 0 looks for batches to note every this many records of its own (a power of 2). */
const NOTE_EVERY = 16;
/** Facts per record in a batch's table (Float64 each). */
const META = 8;

function batchRecords(env: string | undefined): number | null {
  const n = env === undefined ? NaN : Number(env);
  return Number.isInteger(n) && n >= 1 && n <= 65536 ? n : null;
}

/**
 * Worker threads for `-j auto` (the default; 1: none). Each worker costs a start-up and a JIT
 * warm-up of its own (some 0.3 to 0.5 s of CPU), and the main thread spends about 0.4 µs a frame
 * reading and handing out batches. That pays off only for the whole tree (some 8 to 10 µs a
 * frame): two workers from two cores on (-V on 1M frames: 10.3 -> 8.2 s on two cores, at some
 * 185 MB; more workers would pass the 200 MB budget). Summary lines and fields stay in one thread:
 * their fast paths take about as long per frame as the handing out (on two cores, 1M frames:
 * summary 0.67 s in one thread, 1.26 s with two workers; fields 1.08 s, 1.45 s).
 */
export function defaultJobs(heavy: boolean, cores = availableParallelism()): number {
  return heavy && cores >= 2 ? 2 : 1;
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
  /** False: another worker prints it; this one only takes its `interfaces`. */
  own: boolean;
  n: number;
  bytes: SharedArrayBuffer;
  meta: SharedArrayBuffer;
  /** The records' notes, ParallelOptions.notes numbers each (written by worker 0). */
  notes?: SharedArrayBuffer;
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

/** What the main thread posts to a worker: batches, the end, and output buffers given back. */
type ToWorker = BatchMessage | { type: 'end' } | { type: 'buffer'; buf: SharedArrayBuffer };

interface WorkerFailure {
  type: 'error';
  message: string;
  stack?: string;
}

/**
 * Worker 0's notes writer (ParallelOptions.notes): numbers about each record that only a pass
 * over every record in order can tell (the session correlator's attribution).
 */
export interface RecordAnnotator {
  /** Numbers per record (ParallelOptions.notes). */
  readonly width: number;
  /** Called with every record, in capture order: writes its numbers at out[k, k + width). */
  annotate(rec: PacketRecord, out: Float64Array, k: number): void;
}

/** What a worker gets in its workerData. */
export interface WorkerInit {
  /** ParallelOptions.job. */
  job: unknown;
  info: CaptureInfo;
  /** 0 .. workers - 1. */
  index: number;
  /** With ParallelOptions.notes: their width, and the number of batches noted so far (an Int32). */
  notes: { width: number; noted: SharedArrayBuffer } | null;
}

export interface ParallelOptions {
  workers: number;
  /** The worker script (it reads its batches with a BatchReader). */
  workerUrl: URL;
  /** Plain data for the workers (their workerData.job). */
  job: unknown;
  sink: ByteSink;
  /** Stop after this many records. */
  count?: number;
  /** Text before the first frame and after the last (written by the main thread). */
  begin(out: TextBuf): void;
  end(out: TextBuf): void;
  /**
   * Numbers per record that worker 0 writes for every batch (its BatchReader.annotator, which the
   * worker script must set): every worker gets them with its batch (BatchReader.notes).
   */
  notes?: number;
  /**
   * Records per batch (default 2048). Outputs of several kilobytes a frame (-V) take smaller
   * batches: the texts in flight stay small (peak memory).
   */
  batchRecords?: number;
  /** Old-generation limits in MB (default WORKER_OLD_MB, STATEFUL_OLD_MB): tests make them small. */
  oldGenerationMb?: { stateful: number; other: number };
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
  const reader = await openCapture(source, { chunkSize: READ_CHUNK });
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
  // Each batch goes to the worker with the fewest batches not yet answered (in turn among
  // equals): worker 0, which also writes the notes, gets fewer.
  const queued = new Int32Array(W);
  const owners = new Map<number, number>(); // batch → its worker, until written
  let lastOwner = W - 1;
  const pickOwner = (): number => {
    let best = -1;
    for (let j = 1; j <= W; j++) {
      const i = (lastOwner + j) % W;
      if (best < 0 || queued[i]! < queued[best]!) best = i;
    }
    return (lastOwner = best);
  };
  const NOTES = o.notes ?? 0;
  const noted = new SharedArrayBuffer(4);
  for (let i = 0; i < W; i++) {
    const workerData: WorkerInit = { job: o.job, info: plainInfo(reader.info), index: i, notes: NOTES > 0 ? { width: NOTES, noted } : null };
    const stateful = NOTES > 0 && i === 0;
    const oldMb = stateful ? (o.oldGenerationMb?.stateful ?? STATEFUL_OLD_MB) : (o.oldGenerationMb?.other ?? WORKER_OLD_MB);
    const resourceLimits = { maxYoungGenerationSizeMb: WORKER_YOUNG_MB, maxOldGenerationSizeMb: oldMb };
    const w = new Worker(o.workerUrl, { workerData, resourceLimits });
    w.on('message', (m: BatchResult | WorkerFailure) => {
      if (m.type === 'result') {
        results.set(m.seq, m);
        queued[i]!--;
      } else failure ??= Object.assign(new Error(`dissect worker: ${m.message}`), { stack: m.stack });
      poke();
    });
    w.on('error', (e) => {
      if ((e as NodeJS.ErrnoException).code === 'ERR_WORKER_OUT_OF_MEMORY') {
        const what = stateful ? `the session state of this capture outgrew ${oldMb} MB` : `it outgrew ${oldMb} MB`;
        failure ??= new UsageError(`-j: a worker thread ran out of memory (${what}); run with -j 1`);
      } else failure ??= e instanceof Error ? e : new Error(String(e));
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
      const owner = owners.get(written)!;
      owners.delete(written);
      written++;
      // (the sink copies or writes the text: the worker writes its next batch into the same memory)
      sink.write(new Uint8Array(r.buf, 0, r.len));
      pool[owner]!.postMessage({ type: 'buffer', buf: r.buf });
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
  // Shared buffers are reused: batch k's slot is free again once batch k has been written. Only
  // its worker and worker 0 (its notes) read it, and worker 0 notes it before its worker
  // dissects it; the other workers may get the message (new interfaces) but not read the slot.
  const SLOTS = W * IN_FLIGHT_PER_WORKER + 1;
  const slotBytes: (SharedArrayBuffer | null)[] = new Array<SharedArrayBuffer | null>(SLOTS).fill(null);
  const slotMeta: SharedArrayBuffer[] = [];
  const slotNotes: SharedArrayBuffer[] = [];
  for (let i = 0; i < SLOTS; i++) {
    slotMeta.push(new SharedArrayBuffer(BATCH * META * 8));
    if (NOTES > 0) slotNotes.push(new SharedArrayBuffer(BATCH * NOTES * 8));
  }
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
    if (NOTES > 0) msg.notes = slotNotes[slot]!;
    if (comments) msg.comments = comments;
    if (reader.info.interfaces.length !== sentIfaces) {
      sentIfaces = reader.info.interfaces.length;
      msg.interfaces = reader.info.interfaces.map((x) => ({ ...x, comments: [...x.comments] }));
    }
    const owner = pickOwner();
    owners.set(seq, owner);
    queued[owner]!++;
    for (let i = 0; i < W; i++) {
      if (i === owner) pool[i]!.postMessage(msg);
      else if ((i === 0 && NOTES > 0) || msg.interfaces) pool[i]!.postMessage({ ...msg, own: false });
    }
    n = 0;
    comments = undefined;
    spanData = null;
    // in flight at most W * IN_FLIGHT_PER_WORKER, so batch posted - SLOTS (the last one to use
    // the next batch's slot) has been written
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

/** Fills `r` with record i of a batch. */
function loadRecord(r: PacketRecord, data: Uint8Array, meta: Float64Array, i: number, comments: Record<number, string[]> | undefined): PacketRecord {
  const k = i * META;
  r.data = data;
  r.offset = meta[k]!;
  r.caplen = meta[k + 1]!;
  r.origlen = meta[k + 2]!;
  r.linkType = meta[k + 3]!;
  r.frameNumber = meta[k + 4]!;
  r.tsSec = meta[k + 5]!;
  r.tsNsec = meta[k + 6]!;
  r.interfaceId = meta[k + 7]!;
  r.comments = comments?.[i];
  return r;
}

function emptyRecord(): PacketRecord {
  return {
    frameNumber: 0, fileOffset: 0, data: new Uint8Array(0), offset: 0, caplen: 0, origlen: 0,
    tsSec: 0, tsNsec: 0, interfaceId: 0, linkType: 0, comments: undefined,
  };
}

/**
 * A worker's CaptureReader: the records of the batches posted to it. `fill()` waits for the
 * next batch this worker prints; the other workers' batches that reach it carry new interfaces,
 * or are there for worker 0's notes. With notes (ParallelOptions.notes), worker 0 (`annotates`:
 * its script sets `annotator`) notes every batch it has received, in order, each time it goes
 * for its next batch (it takes the messages already posted without waiting for its event loop),
 * and publishes how many are noted; the other workers wait for that count to pass their batch.
 */
export class BatchReader implements CaptureReader {
  readonly warnings: CaptureWarning[] = [];
  /** True for the worker that writes the notes: `annotator` must then be set. */
  readonly annotates: boolean;
  /** Writes the notes (worker 0, with notes). */
  annotator: RecordAnnotator | null = null;
  /** The current batch's notes: record i's at [i * width, (i + 1) * width). */
  notes: Float64Array = new Float64Array(0);
  /** Called when a batch of this worker's starts (before its first record). */
  onBatch: ((b: BatchMessage) => void) | null = null;
  private readonly queue: (BatchMessage | { type: 'end' })[] = [];
  private waiting: (() => void) | null = null;
  private port: MessagePort | null = null;
  private batch: BatchMessage | null = null;
  private data: Uint8Array = new Uint8Array(0);
  private meta: Float64Array = new Float64Array(0);
  private i = 0;
  private n = 0;
  private readonly rec = emptyRecord();
  /** Batches noted so far (shared by the workers), and the notes' width. */
  private readonly noted: Int32Array | null;
  private readonly width: number;
  /** Worker 0: the next batch to note, and the record it notes from. */
  private nextNote = 0;
  private readonly noteRec = emptyRecord();

  constructor(
    readonly info: CaptureInfo,
    init: Pick<WorkerInit, 'index' | 'notes'> = { index: 0, notes: null },
  ) {
    this.noted = init.notes !== null ? new Int32Array(init.notes.noted) : null;
    this.width = init.notes?.width ?? 0;
    this.annotates = init.notes !== null && init.index === 0;
  }

  /** Output buffers given back by the main thread, for the next batches' text. */
  readonly spare: SharedArrayBuffer[] = [];

  /** Takes the main thread's messages from `port` (the worker's parentPort). */
  listen(port: MessagePort): void {
    this.port = port;
    port.on('message', (m: ToWorker) => this.push(m));
  }

  /** Takes a message from the main thread. */
  push(m: ToWorker): void {
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
    const i = this.i++;
    // worker 0 notes the batches posted meanwhile every few records: a worker waiting for its
    // batch's notes does not wait for the end of this batch
    if (this.annotates && (i & (NOTE_EVERY - 1)) === NOTE_EVERY - 1) this.noteQueued();
    return loadRecord(this.rec, this.data, this.meta, i, this.batch!.comments);
  }

  /** Index in the current batch of the record the last `next()` returned (its notes). */
  get index(): number {
    return this.i - 1;
  }

  async fill(): Promise<boolean> {
    this.batch = null;
    this.i = this.n = 0;
    for (;;) {
      if (this.annotates) this.noteQueued();
      while (this.queue.length === 0) {
        await new Promise<void>((resolve) => (this.waiting = resolve));
        if (this.annotates) this.noteQueued();
      }
      const m = this.queue.shift()!;
      if (m.type === 'end') return false;
      if (m.interfaces) this.info.interfaces.splice(0, this.info.interfaces.length, ...m.interfaces);
      if (!m.own) continue;
      this.data = new Uint8Array(m.bytes);
      this.meta = new Float64Array(m.meta);
      if (m.notes) {
        this.notes = new Float64Array(m.notes);
        if (!this.annotates) this.awaitNotes(m.seq);
      }
      this.batch = m;
      this.n = m.n;
      this.onBatch?.(m);
      return true;
    }
  }

  /** Worker 0: takes the messages posted so far and notes every batch queued, in order. */
  private noteQueued(): void {
    const port = this.port;
    if (port !== null) {
      for (let r = receiveMessageOnPort(port); r !== undefined; r = receiveMessageOnPort(port)) this.push(r.message as ToWorker);
    }
    for (const m of this.queue) {
      if (m.type !== 'batch' || m.seq < this.nextNote) continue;
      const a = this.annotator;
      if (a === null || a.width !== this.width) throw new Error('dissect worker 0: no annotator for the notes');
      if (m.seq !== this.nextNote || !m.notes) throw new Error(`dissect worker 0: batch ${m.seq} to note, expected ${this.nextNote}`);
      const data = new Uint8Array(m.bytes);
      const meta = new Float64Array(m.meta);
      const out = new Float64Array(m.notes);
      const r = this.noteRec;
      for (let i = 0; i < m.n; i++) a.annotate(loadRecord(r, data, meta, i, m.comments), out, i * this.width);
      this.nextNote = m.seq + 1;
      Atomics.store(this.noted!, 0, this.nextNote);
      Atomics.notify(this.noted!, 0);
    }
  }

  /** Waits until worker 0 has noted batch `seq`. */
  private awaitNotes(seq: number): void {
    const a = this.noted!;
    for (let v = Atomics.load(a, 0); v <= seq; v = Atomics.load(a, 0)) Atomics.wait(a, 0, v);
  }

  /** Where the current batch sits in time (dissectCapture sets the pipeline's references from it). */
  sliceStart(): SliceStart | null {
    return this.batch;
  }

  async close(): Promise<void> {}
}
