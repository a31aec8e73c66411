/**
 * Correlating a whole capture: open, dissect every frame, feed the correlator, finish. The
 * `gretool sessions` command and the benchmark use this; `gretool dissect` uses attach.ts (and
 * this for pass 1 of -2, feeding the session hook's tracker).
 */
import '../dissectors/index.js';
import { openCapture, type CaptureReader, type CaptureSource, type CaptureWarning, type PacketRecord } from '../capture/index.js';
import { Pipeline } from '../engine/pipeline.js';
import type { Correlator } from './correlator.js';
import { SessionTracker } from './attach.js';
import { extractorWant } from './extract.js';
import { FAST_DATA, FAST_FALLBACK, FAST_PBA, FAST_PBU, FastPath } from './fastpath.js';
import type { SessionListener } from './types.js';

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
    this.fast = opts.fastPath === false ? null : new FastPath({ signalling: true });
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
