/**
 * Correlating a whole capture: open, dissect every frame, feed the correlator, finish. The
 * `gretool sessions` command and the benchmark use this; `gretool dissect` uses attach.ts (and
 * this for pass 1 of -2, feeding the session hook's tracker, and with -j, where one worker
 * correlates and every worker writes the fields: SessionAttributor, writeAttribution).
 */
import '../dissectors/index.js';
import { openCapture, type CaptureReader, type CaptureSource, type CaptureWarning, type PacketRecord } from '../capture/index.js';
import { GENERATED, type Packet } from '../engine/packet.js';
import { Pipeline } from '../engine/pipeline.js';
import type { Correlator } from './correlator.js';
import { SessionTracker } from './attach.js';
import { extractorWant } from './extract.js';
import { FAST_DATA, FAST_FALLBACK, FAST_PBA, FAST_PBU, FastPath } from './fastpath.js';
import { SESSION_FIELDS as F } from './fields.js';
import { DIR_NONE, REASONS, type BindingView, type DataResult, type MessageKind, type SessionListener } from './types.js';

export interface CorrelateOptions {
  /** Listeners subscribed before the first frame. */
  listeners?: SessionListener[];
  /** Called every `progressEvery` frames (and once at the end) with frames read and the byte position. */
  onProgress?: (frames: number, fileOffset: number, fileSize: number | undefined) => void;
  progressEvery?: number;
  /** Rethrow dissector bugs (--debug). */
  debug?: boolean;
  /**
   * Decode common tunnelled data frames and well-formed PBU/PBA with the fast path
   * (fastpath.ts, fastsig.ts) and dissect only the rest fully. Same result; default true.
   */
  fastPath?: boolean;
  /**
   * Feed this tracker instead of a new one (its listeners stay; `listeners` is then ignored):
   * pass 1 of a two-pass run is `correlateCapture(path, { tracker: hook.tracker })` with
   * `hook = createSessionHook({ twoPass: true })`, then `hook.beginSecondPass()`.
   */
  tracker?: SessionTracker;
  /** Stop after this many frames (tshark's -c). */
  count?: number;
}

export interface CorrelateResult {
  correlator: Correlator;
  frames: number;
  warnings: CaptureWarning[];
  /** Set when the capture ended with an error (truncated/corrupt) after what was read was correlated. */
  error?: unknown;
}

/** Correlates every frame of a capture (path, '-' for stdin, bytes or a stream). */
export async function correlateCapture(source: CaptureSource | CaptureReader, opts: CorrelateOptions = {}): Promise<CorrelateResult> {
  const reader = isReader(source) ? source : await openCapture(source);
  const tracker = opts.tracker ?? new SessionTracker({ annotate: false, listeners: opts.listeners });
  const records = new RecordCorrelator(tracker, opts);
  const max = opts.count ?? Infinity;
  const every = opts.progressEvery ?? 65536;
  const onProgress = opts.onProgress;
  const fileSize = reader.info.fileSize;
  let frames = 0;
  let lastOffset = 0;
  let error: unknown;
  try {
    outer: for (;;) {
      let rec;
      while ((rec = reader.next()) !== null) {
        records.feed(rec);
        frames++;
        if (onProgress !== undefined && frames % every === 0) onProgress(frames, rec.fileOffset, fileSize);
        lastOffset = rec.fileOffset;
        if (frames >= max) break outer;
      }
      if (!(await reader.fill())) break;
    }
  } catch (err) {
    error = err;
  } finally {
    await reader.close();
  }
  tracker.correlator.finish();
  onProgress?.(frames, fileSize ?? lastOffset, fileSize);
  const out: CorrelateResult = { correlator: tracker.correlator, frames, warnings: reader.warnings };
  if (error !== undefined) out.error = error;
  return out;
}

/**
 * Feeds capture records one by one to a tracker's correlator, without writing generated fields:
 * common data frames and clean PBU/PBA through the fast paths (fastpath.ts, fastsig.ts), the
 * rest dissected with only the Extractor's fields. `correlateCapture` and the workers of
 * `gretool dissect -j` (for the frames other workers print) use it.
 */
export class RecordCorrelator {
  private readonly pipeline: Pipeline;
  private readonly fast: FastPath | null;

  constructor(
    readonly tracker: SessionTracker,
    opts: { debug?: boolean; fastPath?: boolean } = {},
  ) {
    // only what the Extractor reads is materialised, and no summary column
    this.pipeline = new Pipeline({ debug: opts.debug ?? false, want: extractorWant(), columns: false });
    this.fast = opts.fastPath === false ? null : new FastPath({ signalling: true, addresses: tracker.correlator.addressTable });
  }

  feed(rec: PacketRecord): void {
    const fast = this.fast;
    const tracker = this.tracker;
    let k = FAST_FALLBACK;
    if (fast !== null) {
      k = fast.decode(rec);
      const c = tracker.correlator;
      if (k === FAST_DATA) return void c.data(fast.data);
      if (k === FAST_PBU) return void c.pbu(fast.signal);
      if (k === FAST_PBA) return void c.pba(fast.signal);
    }
    if (k !== FAST_FALLBACK) return;
    const annotate = tracker.annotate;
    tracker.annotate = false;
    try {
      tracker.feed(this.pipeline.dissect(rec));
    } finally {
      tracker.annotate = annotate;
    }
  }
}

function isReader(x: unknown): x is CaptureReader {
  return typeof x === 'object' && x !== null && typeof (x as CaptureReader).next === 'function' && typeof (x as CaptureReader).fill === 'function';
}

// ---------------------------------------------------------------------- -j attribution

/**
 * Numbers per frame in an attribution (SessionAttributor, writeAttribution): what the frame is,
 * then up to four values.
 *
 *   none         (0)
 *   data         (1) binding id or -1, reason (R_*, when no binding), candidate id or -1, direction
 *   PBU          (2) binding id, kind (KINDS), frame it retransmits or -1
 *   PBA, paired  (3) binding id, kind, frame of its PBU, response time (ns)
 *   PBA, alone   (4) candidate id or -1
 */
export const ATTR_WIDTH = 5;
const A_NONE = 0;
const A_DATA = 1;
const A_PBU = 2;
const A_PAIR = 3;
const A_UNSOLICITED = 4;
const KINDS: readonly MessageKind[] = ['initial', 'lifetime-extension', 'handoff', 'deregistration'];

function kindCode(kind: MessageKind): number {
  const i = KINDS.indexOf(kind);
  if (i < 0) throw new Error(`session attribution: unknown message kind ${kind}`);
  return i;
}

/**
 * The one correlator of `gretool dissect -j` with the session fields shown (worker 0's notes
 * writer, src/output/parallel.ts): fed every record in capture order (RecordCorrelator: the
 * fast paths, else a dissection with the Extractor's fields), it notes, per record, what a
 * single-pass session hook (attach.ts) writes into that frame, as ATTR_WIDTH numbers; the worker
 * that prints the frame writes the fields from them (writeAttribution), with no session state.
 */
export class SessionAttributor {
  readonly width = ATTR_WIDTH;
  private readonly records: RecordCorrelator;
  private out: Float64Array = new Float64Array(ATTR_WIDTH);
  private k = 0;

  constructor(opts: { debug?: boolean } = {}) {
    // the correlator's own listener calls, made while it handles the frame, with the outcome
    // SessionTracker writes (the same objects its pbu(), pba() and data() return)
    const listener: SessionListener = {
      onData: (_ev, r) => this.data(r),
      onPbu: (o) => this.put(A_PBU, o.binding.id, kindCode(o.kind), o.retransmissionOf ?? -1, 0),
      onPair: (o) => this.put(A_PAIR, o.binding.id, kindCode(o.kind), o.pbu.frame, o.responseNs),
      onUnsolicitedPba: (_pba, cand: BindingView | null) => this.put(A_UNSOLICITED, cand ? cand.id : -1, 0, 0, 0),
    };
    this.records = new RecordCorrelator(new SessionTracker({ annotate: false, listeners: [listener] }), opts);
  }

  /** Correlates `rec` (the next record of the capture) and writes its attribution at out[k, k + ATTR_WIDTH). */
  annotate(rec: PacketRecord, out: Float64Array, k: number): void {
    this.out = out;
    this.k = k;
    out[k] = A_NONE;
    this.records.feed(rec);
  }

  private data(r: DataResult): void {
    this.put(A_DATA, r.bindingId !== 0 ? r.bindingId : -1, r.reason, r.candidate !== null ? r.candidate.id : -1, r.direction);
  }

  private put(what: number, a: number, b: number, c: number, d: number): void {
    const o = this.out;
    const k = this.k;
    o[k] = what;
    o[k + 1] = a;
    o[k + 2] = b;
    o[k + 3] = c;
    o[k + 4] = d;
  }
}

/**
 * Writes the generated session fields of the frame in `p` from its attribution at a[k, k +
 * ATTR_WIDTH) (SessionAttributor): the same nodes, in the same order, as SessionTracker writes in
 * one pass (attach.ts), so that a worker prints what one thread prints (test/output/parallel.test.ts).
 */
export function writeAttribution(p: Packet, a: Float64Array, k: number): void {
  const what = a[k]!;
  if (what === A_NONE) return;
  const root = p.add(F.proto, -1, 0, -1, GENERATED);
  switch (what) {
    case A_DATA: {
      const id = a[k + 1]!;
      if (id >= 0) p.addGen(F.session, root, id);
      else {
        p.addStr(F.unattributed, -1, 0, root, REASONS[a[k + 2]!]!, GENERATED);
        if (a[k + 3]! >= 0) p.addGen(F.candidate, root, a[k + 3]!);
      }
      const dir = a[k + 4]!;
      if (dir !== DIR_NONE) p.addGen(F.direction, root, dir);
      return;
    }
    case A_PBU:
      p.addGen(F.session, root, a[k + 1]!);
      p.addStr(F.kind, -1, 0, root, KINDS[a[k + 2]!]!, GENERATED);
      if (a[k + 3]! >= 0) p.addGen(F.retransmission, root, a[k + 3]!);
      return;
    case A_PAIR:
      p.addGen(F.session, root, a[k + 1]!);
      p.addStr(F.kind, -1, 0, root, KINDS[a[k + 2]!]!, GENERATED);
      p.addGen(F.pair_frame, root, a[k + 3]!);
      p.addGen(F.pair_time, root, a[k + 4]!);
      return;
    case A_UNSOLICITED:
      p.addGen(F.unsolicited, root, 1);
      if (a[k + 1]! >= 0) p.addGen(F.candidate, root, a[k + 1]!);
      return;
  }
}
