/**
 * The capture layer: the one module other parts of gretool import.
 *
 *   const reader = await openCapture('capture.pcapng.gz');
 *   await forEachRecord(reader, (rec) => { ... });   // fast path: no per-record promise
 *
 * Formats are detected by content: pcap (micro/nano, either byte order), pcapng, and gzip of
 * either. `-` reads stdin.
 */
import { GretoolError } from '../errors.js';
import { detectFormat, isGzip } from './detect.js';
import { PcapReader } from './pcap-reader.js';
import { PcapngReader } from './pcapng-reader.js';
import { ChunkReader, DEFAULT_CHUNK } from './reader-base.js';
import { type ByteSource, GunzipSource, MemorySource, StreamSource, openFileSource } from './source.js';
import type { CaptureReader } from './types.js';

export type * from './types.js';
export { createCaptureWriter, DEFAULT_SNAPLEN } from './writer.js';
export * from './linktypes.js';
export { formatEpoch, formatDuration, formatUtc, compareTime, TimestampConverter, timeToTicks } from './time.js';
export { MAX_CAPLEN, MAX_BLOCK } from './reader-base.js';
export { forEachRecord, records } from './iterate.js';
export { collectStats, emptyStats, type CaptureStats } from './stats.js';

/** What `openCapture` reads: a path, `'-'` for stdin, bytes in memory, or a readable stream. */
export type CaptureSource = string | Uint8Array | NodeJS.ReadableStream;

export interface OpenCaptureOptions {
  /** Read size in bytes (default 4 MiB). Small values are for tests. */
  chunkSize?: number;
  /** Name used in messages (default: the path, "(stdin)" for `-`, "(memory)", "(stream)"). */
  name?: string;
  /** The stream read for `-` (default process.stdin). */
  stdin?: NodeJS.ReadableStream;
}

/**
 * Opens a capture and reads its header. Rejects with a GretoolError: CAPTURE_OPEN (missing,
 * directory, unreadable), CAPTURE_FORMAT (empty, not a capture, unsupported version),
 * CAPTURE_TRUNCATED / CAPTURE_CORRUPT (a broken header).
 */
export async function openCapture(source: CaptureSource, opts: OpenCaptureOptions = {}): Promise<CaptureReader> {
  const chunkSize = Math.max(64, opts.chunkSize ?? DEFAULT_CHUNK);
  let display: string;
  let src: ByteSource;
  let fileSize: number | undefined;
  if (typeof source === 'string') {
    if (source === '-') {
      display = opts.name ?? '(stdin)';
      src = new StreamSource(opts.stdin ?? process.stdin, display, undefined, opts.stdin !== undefined);
    } else {
      display = opts.name ?? source;
      const f = await openFileSource(source, display);
      if (f.size >= 0) fileSize = f.size;
      src = f;
    }
  } else if (source instanceof Uint8Array) {
    display = opts.name ?? '(memory)';
    src = new MemorySource(source);
  } else {
    display = opts.name ?? '(stream)';
    src = new StreamSource(source, display);
  }
  try {
    let buf = new Uint8Array(chunkSize);
    // A small first read: the header is in it, and the reader starts on its records while the
    // read-ahead (started below) brings the first whole chunk.
    let end = await readAtLeast(src, buf, 0, 64, FIRST_READ);
    let gzip = false;
    if (isGzip(buf, end)) {
      gzip = true;
      fileSize = undefined;
      src = new GunzipSource(src, buf.subarray(0, end), display);
      buf = new Uint8Array(chunkSize);
      end = await readAtLeast(src, buf, 0, 64, FIRST_READ);
      if (end === 0) throw new GretoolError('CAPTURE_FORMAT', `${display}: empty file (gzip-compressed)`);
    }
    const kind = detectFormat(buf, end, display);
    let reader: ChunkReader;
    if (kind.format === 'pcap') {
      end += await readAtLeast(src, buf, end, 24 - end);
      reader = new PcapReader(src, buf, end, display, chunkSize, kind.littleEndian, kind.nanosecond, gzip);
    } else {
      const ng = new PcapngReader(src, buf, end, display, chunkSize, gzip);
      await ng.init();
      reader = ng;
    }
    if (fileSize !== undefined) reader.info.fileSize = fileSize;
    reader.readAhead();
    return reader;
  } catch (err) {
    await src.close().catch(() => undefined);
    throw err;
  }
}

/** Size of the first read of a capture (at most the chunk size). */
const FIRST_READ = 64 * 1024;

/** Reads until at least `min` bytes landed at buf[offset...] (at most `max`) or the input ended. */
async function readAtLeast(src: ByteSource, buf: Uint8Array, offset: number, min: number, max = buf.length - offset): Promise<number> {
  let got = 0;
  const limit = Math.min(max, buf.length - offset);
  while (got < min) {
    const n = await src.read(buf, offset + got, limit - got);
    if (n === 0) break;
    got += n;
  }
  return got;
}
