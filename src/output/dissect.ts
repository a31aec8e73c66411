/**
 * Dissecting a whole capture: the loop the CLI and the library share. Records are pulled from
 * the reader chunk by chunk (no promise per frame), dissected into the pipeline's reused
 * Packet, filtered, and handed to a synchronous callback as a reused `Frame`.
 */
import '../dissectors/index.js';
import { openCapture, type CaptureSource, type OpenCaptureOptions } from '../capture/index.js';
import type { CaptureInfo, CaptureReader, CaptureWarning } from '../capture/types.js';
import { fieldByName } from '../engine/fields.js';
import { Pipeline, type PostDissector } from '../engine/pipeline.js';
import type { Packet } from '../engine/packet.js';
import { compileFilter, type DisplayFilter } from '../filter/index.js';
import { Frame } from './frame.js';
import { TimeColumn, precisionTable, type TimeFormat } from './timefmt.js';

/** A compiled display filter (src/filter's `compileFilter` result, or any predicate). */
export interface PacketFilter {
  matches(p: Packet): boolean;
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
 * Compiles display-filter text with gretool's filter engine (src/filter). Throws a
 * GretoolError('FILTER') whose message shows the filter with a caret under the problem.
 */
export function compileDisplayFilter(text: string): DisplayFilter {
  return compileFilter(text);
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
    const digits = precisionTable(reader.info);
    const deltaFid = fieldByName('frame.time_delta')?.id ?? -1;
    let col: TimeColumn | null = null;
    const frame = new Frame(p, () => (col ??= new TimeColumn(opts.timeFormat ?? 'r', digits, deltaFid)));
    let test: ((p: Packet) => boolean) | null = null;
    const f = opts.filter;
    if (typeof f === 'string') {
      const compiled = compileDisplayFilter(f);
      test = (pk) => compiled.matches(pk);
    } else if (typeof f === 'function') test = () => f(frame);
    else if (f) test = (pk) => f.matches(pk);
    let ifaces = reader.info.interfaces.length;
    const refresh = () => {
      if (reader.info.interfaces.length === ifaces) return;
      ifaces = reader.info.interfaces.length;
      const d = precisionTable(reader.info);
      for (let i = 0; i < d.length; i++) digits[i] = d[i]!;
    };
    return { reader, opened, pipe, frame, test, refresh };
  } catch (err) {
    if (opened) await reader.close();
    throw err;
  }
}

/**
 * Dissects every frame of a capture and calls `onFrame` for each frame that passes the filter.
 * Return `false` from the callback to stop. The Frame is reused: it is valid only during the
 * call. Rejects with a GretoolError for unreadable input; a capture cut mid-record rejects
 * (CAPTURE_TRUNCATED) only after every complete frame was handed over.
 */
export async function dissectCapture(
  source: CaptureSource | CaptureReader,
  onFrame: (frame: Frame) => unknown,
  opts: DissectOptions = {},
): Promise<DissectResult> {
  const { reader, opened, pipe, frame, test, refresh } = await setup(source, opts);
  try {
    if (opts.onOpen) await opts.onOpen(reader);
    const p = pipe.packet;
    const max = opts.count ?? Infinity;
    let read = 0;
    let displayed = 0;
    outer: for (;;) {
      for (let rec = reader.next(); rec !== null; rec = reader.next()) {
        pipe.dissect(rec);
        read++;
        if (test === null || test(p)) {
          displayed++;
          if (onFrame(frame) === false) break outer;
        }
        if (read >= max) break outer;
      }
      if (opts.onChunk) await opts.onChunk();
      if (!(await reader.fill())) break;
      refresh();
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
  const { reader, opened, pipe, frame, test, refresh } = await setup(source, opts);
  try {
    if (opts.onOpen) await opts.onOpen(reader);
    const p = pipe.packet;
    const max = opts.count ?? Infinity;
    let read = 0;
    for (;;) {
      for (let rec = reader.next(); rec !== null; rec = reader.next()) {
        pipe.dissect(rec);
        read++;
        if (test === null || test(p)) yield frame;
        if (read >= max) return;
      }
      if (!(await reader.fill())) return;
      refresh();
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
  return new Frame(pipe.packet);
}
