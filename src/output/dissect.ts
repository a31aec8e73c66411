/**
 * Dissecting a whole capture: the loop the CLI and the library share. Records are pulled from
 * the reader chunk by chunk (no promise per frame), dissected into the pipeline's reused
 * Packet, filtered, and handed to a synchronous callback as a reused `Frame`.
 */
import '../dissectors/index.js';
import { openCapture, type CaptureSource, type OpenCaptureOptions } from '../capture/index.js';
import type { CaptureInfo, CaptureReader, CaptureWarning, SliceStart } from '../capture/types.js';
import { fieldByName, unionWant, wantForFields, wantMask } from '../engine/fields.js';
import { Pipeline, type ColumnsFastPath, type PostDissector } from '../engine/pipeline.js';
import type { Packet } from '../engine/packet.js';
import type { NeedleScan } from '../filter/index.js';
import { Frame } from './frame.js';
import { TimeColumn, precisionTable, type TimeFormat } from './timefmt.js';

/** A compiled display filter (src/filter's `compileFilter` result, or any predicate). */
export interface PacketFilter {
  matches(p: Packet): boolean;
  /** Byte strings every matching frame holds (DisplayFilter.needles): others are not dissected. */
  readonly needles?: readonly Uint8Array[] | null;
}

export interface DissectOptions {
  /** Display filter: text (compiled with gretool's filter engine), a compiled filter, or a predicate. */
  filter?: string | PacketFilter | ((frame: Frame) => boolean);
  /** Stop after this many frames have been read (tshark's -c). */
  count?: number;
  /** Rethrow dissector bugs instead of recording them as expert items. */
  debug?: boolean;
  /** Time format of `frame.summary()` / `summaryLine()` (default 'r', relative). */
  timeFormat?: TimeFormat;
  /** Hooks run after each frame is dissected (e.g. the session correlator). */
  postDissectors?: PostDissector[];
  /** Options for opening a path, stdin or bytes. */
  open?: OpenCaptureOptions;
  /** Called between chunks of input (await output back-pressure here). */
  onChunk?: () => void | Promise<void>;
  /** Called once the capture is open, before the first frame. */
  onOpen?: (reader: CaptureReader) => void | Promise<void>;
  /**
   * The fields the callback (and a predicate filter) reads, by name or id. Frames are then
   * dissected with only these fields (and those of a display filter) materialised, which is
   * several times faster than building the whole tree; `frame.get()` & co. of other fields,
   * `tree()`, `summary()`, `detailText()`, `experts()` and `snapshot()` still work: they
   * dissect the current frame again in full (slow, once per frame). Ignored with
   * `postDissectors` (they read the tree).
   */
  fields?: readonly (string | number)[];
  /**
   * Advanced (the CLI): what a frame handed to the callback must have (`output`), and what each
   * frame is dissected with before the filter (`first`; by default the filter's fields, plus
   * `output` when it is a plain field mask). A frame that passes the filter is dissected again
   * with `output` when `first` does not cover it. Overrides `fields`. With `postDissectors`
   * every frame is dissected once, with `output` plus the filter's fields: `output` must then
   * hold what the hooks read and the generated fields to keep (e.g. `extractorWant()` and the
   * `gretool.*` fields for the session hook).
   */
  materialise?: { first?: Materialise; output: Materialise };
  /**
   * Advanced (the CLI's summary lines): fills the columns of the frames it knows without the
   * dissectors (see ColumnsFastPath; output/fastsummary.ts). Used only without a filter and
   * post-dissectors, on frames dissected with columns; such a frame has no fields or expert
   * items, so the callback must read nothing but the columns and the frame's facts.
   */
  columnsFastPath?: ColumnsFastPath;
}

/** What a dissection materialises: fields (want mask; null = the whole tree) and the summary columns. */
export interface Materialise {
  want: Uint8Array | null;
  columns: boolean;
}

/** Everything: the whole tree and the columns. */
export const FULL: Materialise = Object.freeze({ want: null, columns: true });

/** True when what `a` materialises includes what `b` needs. */
export function covers(a: Materialise, b: Materialise): boolean {
  if (b.columns && !a.columns) return false;
  if (a.want === null) return true;
  if (b.want === null) return false;
  const aw = a.want;
  const bw = b.want;
  for (let i = 0; i < bw.length; i++) if ((bw[i]! & ~(aw[i] ?? 0)) !== 0) return false;
  return true;
}

/** The want mask of a filter's fields, or null when the filter does not say which it reads. */
function filterWant(f: unknown): Uint8Array | null {
  const fields = (f as { fields?: unknown } | null)?.fields;
  if (!Array.isArray(fields) || !fields.every((x) => typeof x === 'number')) return null;
  return wantMask(fields as number[]);
}

export interface DissectResult {
  /** Frames read and dissected. */
  read: number;
  /** Frames that passed the filter and were handed to the callback. */
  displayed: number;
  info: CaptureInfo;
  warnings: CaptureWarning[];
}

/**
 * The filter engine (src/filter), loaded when a run has a filter: runs without one (most
 * summary and -V runs) do not pay for loading it.
 */
function filterEngine(): Promise<typeof import('../filter/index.js')> {
  return import('../filter/index.js');
}

/** Records a displayed frame's time: the next frames' frame.time_delta_displayed count from it. */
function shown(p: Packet): void {
  p.dispKnown = true;
  p.dispSec = p.tsSec;
  p.dispNsec = p.tsNsec;
}

/** A reader that delivers a slice of a capture: time references as in the whole capture. */
function startSlice(pipe: Pipeline, s: SliceStart | null): void {
  if (s === null) return;
  pipe.setTimeBase(s.firstSec, s.firstNsec, s.prevSec, s.prevNsec);
  const p = pipe.packet;
  p.dispKnown = s.hasPrev;
  p.dispSec = s.prevSec;
  p.dispNsec = s.prevNsec;
}

function isReader(x: unknown): x is CaptureReader {
  return typeof x === 'object' && x !== null && typeof (x as CaptureReader).next === 'function' && typeof (x as CaptureReader).fill === 'function';
}

interface Setup {
  reader: CaptureReader;
  opened: boolean;
  pipe: Pipeline;
  frame: Frame;
  test: ((p: Packet) => boolean) | null;
  /**
   * The filter's literal prefilter (src/filter/prefilter.ts): a record it rejects cannot match
   * and is skipped undissected. Null when the filter has no literals, or when post-dissectors
   * (which keep state across frames) must see every frame.
   */
  scan: NeedleScan | null;
  /** Dissects the current frame again for the callback, when the first pass did not cover it. */
  upgrade: Materialise | null;
  /** Refreshes per-interface time precision after interfaces appear mid-file. */
  refresh: () => void;
}

async function setup(source: CaptureSource | CaptureReader, opts: DissectOptions): Promise<Setup> {
  const opened = !isReader(source);
  const reader = opened ? await openCapture(source as CaptureSource, opts.open) : (source as CaptureReader);
  try {
    const pipe = new Pipeline({ debug: opts.debug ?? false });
    for (const pd of opts.postDissectors ?? []) pipe.addPostDissector(pd);
    const p = pipe.packet;
    p.interfaces = reader.info.format === 'pcapng' ? reader.info.interfaces : null;
    const digits = precisionTable(reader.info);
    const deltaFid = fieldByName('frame.time_delta')?.id ?? -1;
    let col: TimeColumn | null = null;
    const frame = new Frame(p, () => (col ??= new TimeColumn(opts.timeFormat ?? 'r', digits, deltaFid)), pipe);
    let test: ((p: Packet) => boolean) | null = null;
    let testWant: Uint8Array | null = null;
    let needles: readonly Uint8Array[] | null | undefined = null;
    const f = opts.filter;
    if (typeof f === 'string') {
      const compiled = (await filterEngine()).compileFilter(f);
      test = (pk) => compiled.matches(pk);
      testWant = filterWant(compiled);
      needles = compiled.needles;
    } else if (typeof f === 'function') test = () => f(frame);
    else if (f) {
      test = (pk) => f.matches(pk);
      testWant = filterWant(f);
      needles = f.needles;
    }
    // what to materialise: the callback's needs (output), and before the filter (first) the
    // filter's fields, plus the output's when they are a plain mask (one pass then suffices)
    const hooks = (opts.postDissectors ?? []).length > 0;
    let output: Materialise = FULL;
    if (opts.materialise) output = opts.materialise.output;
    else if (!hooks && opts.fields) output = { want: wantForFields(opts.fields), columns: false };
    let first: Materialise;
    if (opts.materialise?.first) first = opts.materialise.first;
    else if (test === null) first = output;
    else if (hooks) {
      // one dissection per frame (redissect() does not run the hooks again, so it would drop the
      // fields they add): it must carry the filter's fields as well as the output's
      first = { want: testWant === null ? null : unionWant(output.want, testWant), columns: output.columns };
    }
    else if (testWant === null) first = typeof f === 'function' && output.want !== null ? output : FULL; // a predicate reads the Frame
    else if (output.want !== null && !output.columns) first = { want: unionWant(testWant, output.want), columns: false };
    else first = { want: testWant, columns: false };
    pipe.setWant(first.want);
    pipe.setColumns(first.columns);
    const upgrade = covers(first, output) ? null : output;
    let ifaces = reader.info.interfaces.length;
    const refresh = () => {
      if (reader.info.interfaces.length === ifaces) return;
      ifaces = reader.info.interfaces.length;
      const d = precisionTable(reader.info);
      for (let i = 0; i < d.length; i++) digits[i] = d[i]!;
    };
    const stateful = (opts.postDissectors ?? []).length > 0;
    if (opts.columnsFastPath && test === null && !stateful) pipe.setColumnsFastPath(opts.columnsFastPath);
    const scan = needles && needles.length > 0 && !stateful ? new (await filterEngine()).NeedleScan(needles) : null;
    return { reader, opened, pipe, frame, test, scan, upgrade, refresh };
  } catch (err) {
    if (opened) await reader.close();
    throw err;
  }
}

/**
 * Dissects every frame of a capture and calls `onFrame` for each frame that passes the filter.
 * Return `false` from the callback to stop, or a promise to have the next frame wait for it
 * (output back-pressure: a slow pipe). The Frame is reused: it is valid only during the
 * call. Rejects with a GretoolError for unreadable input; a capture cut mid-record rejects
 * (CAPTURE_TRUNCATED) only after every complete frame was handed over.
 */
export async function dissectCapture(
  source: CaptureSource | CaptureReader,
  onFrame: (frame: Frame) => unknown,
  opts: DissectOptions = {},
): Promise<DissectResult> {
  const { reader, opened, pipe, frame, test, scan, upgrade, refresh } = await setup(source, opts);
  try {
    if (opts.onOpen) await opts.onOpen(reader);
    const p = pipe.packet;
    const max = opts.count ?? Infinity;
    let read = 0;
    let displayed = 0;
    outer: for (;;) {
      for (let rec = reader.next(); rec !== null; rec = reader.next()) {
        if (scan !== null && !scan.mayMatch(rec.data, rec.offset, rec.caplen)) {
          pipe.skip(rec);
          if (++read >= max) break outer;
          continue;
        }
        pipe.dissect(rec);
        read++;
        if (test === null || test(p)) {
          displayed++;
          if (upgrade !== null) pipe.redissect(upgrade.want, upgrade.columns);
          const r = onFrame(frame);
          shown(p);
          if (r === false) break outer;
          if (r instanceof Promise) await r; // the callback's output must drain first

        }
        if (read >= max) break outer;
      }
      if (opts.onChunk) await opts.onChunk();
      if (!(await reader.fill())) break;
      scan?.reset();
      refresh();
      if (reader.sliceStart) startSlice(pipe, reader.sliceStart());
    }
    return { read, displayed, info: reader.info, warnings: reader.warnings };
  } finally {
    if (opened) await reader.close();
  }
}

/**
 * The frames of a capture as an async iterable. Convenient, but one promise per frame: prefer
 * `dissectCapture` in hot loops. The yielded Frame is reused by the next iteration.
 */
export async function* dissectFrames(
  source: CaptureSource | CaptureReader,
  opts: Omit<DissectOptions, 'onChunk'> = {},
): AsyncGenerator<Frame, void, undefined> {
  const { reader, opened, pipe, frame, test, scan, upgrade, refresh } = await setup(source, opts);
  try {
    if (opts.onOpen) await opts.onOpen(reader);
    const p = pipe.packet;
    const max = opts.count ?? Infinity;
    let read = 0;
    for (;;) {
      for (let rec = reader.next(); rec !== null; rec = reader.next()) {
        if (scan !== null && !scan.mayMatch(rec.data, rec.offset, rec.caplen)) {
          pipe.skip(rec);
          if (++read >= max) return;
          continue;
        }
        pipe.dissect(rec);
        read++;
        if (test === null || test(p)) {
          if (upgrade !== null) pipe.redissect(upgrade.want, upgrade.columns);
          yield frame;
          shown(p);
        }
        if (read >= max) return;
      }
      if (!(await reader.fill())) return;
      scan?.reset();
      refresh();
      if (reader.sliceStart) startSlice(pipe, reader.sliceStart());
    }
  } finally {
    if (opened) await reader.close();
  }
}

export interface PacketOptions {
  /** pcap LINKTYPE_* of the bytes (default 1, Ethernet). */
  linkType?: number;
  /** Original length (default: the byte count). */
  originalLength?: number;
  tsSec?: number;
  tsNsec?: number;
  number?: number;
  debug?: boolean;
}

/** Dissects one frame given as bytes (its own pipeline each call: for tests and one-offs). */
export function dissectPacket(bytes: Uint8Array, opts: PacketOptions = {}): Frame {
  const pipe = new Pipeline({ debug: opts.debug ?? false });
  pipe.dissectBytes(bytes, 0, bytes.length, opts.originalLength ?? bytes.length, opts.linkType ?? 1, opts.number ?? 1, opts.tsSec ?? 0, opts.tsNsec ?? 0);
  return new Frame(pipe.packet, undefined, pipe);
}
