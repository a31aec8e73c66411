/**
 * The generator's own record writer for a capture file, on the hot path of `gretool generate`:
 * the file header (pcap header, or pcapng section header and interface block) is made by the
 * shared capture writer (src/capture/writer.ts); the records are appended here with the same
 * bytes that writer would give (test/generate/output.test.ts compares them).
 *
 * Why not the shared writer for the records too: a generator frame is always a whole template
 * (offset 0, caplen = its length), copied with one `Uint8Array.set`; and the chunk is small
 * enough (256 KiB) to stay in the CPU cache next to the templates and the flows: a 1 MiB chunk
 * written once per MiB costs a cache miss per 64 octets at 650 MB per million frames.
 *
 * The header goes into the first chunk, so a small capture is one write.
 */
import { closeSync, openSync, writeSync } from 'node:fs';
import { Writable } from 'node:stream';
import { createCaptureWriter } from '../capture/index.js';
import { putEpbHeader, putPcapRecordHeader, w32 } from '../capture/writer.js';
import { timeToTicks, type Ticks } from '../capture/time.js';
import type { CaptureFormat } from '../capture/types.js';
import { OutputError, UsageError } from '../errors.js';
import type { FrameSink } from './engine.js';

const CHUNK = 1 << 18;

export interface FileFrameWriter extends FrameSink {
  close(): Promise<void>;
}

/** The file header the shared capture writer makes for these options. */
async function headerBytes(opts: { format: CaptureFormat; nanosecond: boolean; linkType: number }): Promise<Uint8Array> {
  const parts: Buffer[] = [];
  const collect = new Writable({
    write(chunk: Buffer, _enc, done) {
      parts.push(chunk);
      done();
    },
  });
  const head = createCaptureWriter(collect, { format: opts.format, nanosecond: opts.nanosecond, interfaces: [{ linkType: opts.linkType }] });
  await head.close();
  return Buffer.concat(parts);
}

/** Opens `path` for a capture of one interface and returns a FrameSink that writes the header and the records to it. */
export async function createFileFrameWriter(path: string, opts: { format: CaptureFormat; nanosecond: boolean; linkType: number }): Promise<FileFrameWriter> {
  const header = await headerBytes(opts);
  let fd: number;
  try {
    fd = openSync(path, 'w');
  } catch (err) {
    throw new OutputError(`cannot write ${path}: ${(err as Error).message}`, { cause: err });
  }
  const w = opts.format === 'pcapng' ? new PcapngRecords(path, fd, opts.nanosecond) : new PcapRecords(path, fd, opts.nanosecond);
  w.start(header);
  return w;
}

abstract class Records implements FileFrameWriter {
  protected buf = new Uint8Array(CHUNK);
  protected pos = 0;
  constructor(
    private readonly path: string,
    private fd: number,
    protected readonly nano: boolean,
  ) {}

  /** Puts the file header first. */
  start(header: Uint8Array): void {
    if (header.length > this.buf.length) this.buf = new Uint8Array(header.length + CHUNK);
    this.buf.set(header);
    this.pos = header.length;
  }

  abstract write(data: Uint8Array, offset: number, caplen: number, origlen: number, tsSec: number, tsNsec: number): boolean;

  /** Makes room for `n` more octets: flushes, or grows the buffer for a record larger than it. */
  protected room(n: number): void {
    if (this.pos + n <= this.buf.length) return;
    this.flush();
    if (n > this.buf.length) this.buf = new Uint8Array(n);
  }

  protected flush(): void {
    let off = 0;
    try {
      while (off < this.pos) off += writeSync(this.fd, this.buf, off, this.pos - off);
    } catch (err) {
      throw new OutputError(`cannot write ${this.path}: ${(err as Error).message}`, { cause: err });
    }
    this.pos = 0;
  }

  /** Copies the frame octets to `at` (one native copy for a whole template). */
  protected copy(data: Uint8Array, offset: number, caplen: number, at: number): void {
    if (offset < 0 || caplen > data.length - offset) throw new UsageError(`capture writer: ${caplen} bytes at offset ${offset} exceed the ${data.length}-byte buffer`);
    this.buf.set(offset === 0 && caplen === data.length ? data : data.subarray(offset, offset + caplen), at);
  }

  protected checkTime(tsSec: number, tsNsec: number): void {
    if (!(tsSec >= 0 && tsSec <= 0xffffffff && tsNsec >= 0 && tsNsec < 1e9) || tsSec % 1 !== 0 || tsNsec % 1 !== 0) {
      throw new UsageError(`capture writer: timestamp ${tsSec} s + ${tsNsec} ns is out of range`);
    }
  }

  async drain(): Promise<void> {}

  async close(): Promise<void> {
    if (this.fd < 0) return;
    try {
      this.flush();
    } finally {
      closeSync(this.fd);
      this.fd = -1;
    }
  }
}


/** pcap records, little-endian, micro- or nanosecond fractions. */
class PcapRecords extends Records {
  write(data: Uint8Array, offset: number, caplen: number, origlen: number, tsSec: number, tsNsec: number): boolean {
    this.checkTime(tsSec, tsNsec);
    this.room(16 + caplen);
    const b = this.buf;
    const p = this.pos;
    putPcapRecordHeader(b, p, tsSec, this.nano ? tsNsec : Math.floor(tsNsec / 1000), caplen, origlen);
    this.copy(data, offset, caplen, p + 16);
    this.pos = p + 16 + caplen;
    return true;
  }
}

/** pcapng enhanced packet blocks on interface 0, little-endian. */
class PcapngRecords extends Records {
  private readonly ticks: Ticks = { hi: 0, lo: 0 };
  write(data: Uint8Array, offset: number, caplen: number, origlen: number, tsSec: number, tsNsec: number): boolean {
    this.checkTime(tsSec, tsNsec);
    const padded = (caplen + 3) & ~3;
    const len = 32 + padded;
    this.room(len);
    const b = this.buf;
    let p = this.pos;
    timeToTicks(tsSec, tsNsec, this.nano, this.ticks);
    putEpbHeader(b, p, len, 0, this.ticks, caplen, origlen);
    this.copy(data, offset, caplen, p + 28);
    p += 28 + caplen;
    for (let i = caplen; i < padded; i++) b[p++] = 0;
    w32(b, p, len);
    this.pos = p + 4;
    return true;
  }
}
