/**
 * pcap and pcapng writers. Records are encoded into one big buffer (1 MiB) and written in
 * whole chunks: synchronously to a file (bounded memory, no back-pressure to manage), or to a
 * stream (stdout, a pipe) with `write()` returning false when the caller should await `drain()`.
 */
import { closeSync, openSync, writeSync } from 'node:fs';
import { GretoolError, OutputError, UsageError } from '../errors.js';
import { VERSION } from '../version.js';
import { timeToTicks, type Ticks } from './time.js';
import type { CaptureWriter, CaptureWriterOptions } from './types.js';

const CHUNK = 1 << 20;
/** Default snapshot length written in headers. */
export const DEFAULT_SNAPLEN = 262144;

/** Where encoded chunks go. */
interface Sink {
  /** Takes ownership of `chunk` (the writer does not touch it again). False = wait for drain. */
  write(chunk: Buffer): boolean;
  /** True when chunks are copied or written synchronously, so the writer may reuse its buffer. */
  readonly synchronous: boolean;
  drain(): Promise<void>;
  close(): Promise<void>;
}

class FileSink implements Sink {
  readonly synchronous = true;
  private fd: number;
  constructor(private readonly path: string) {
    try {
      this.fd = openSync(path, 'w');
    } catch (err) {
      throw new OutputError(`cannot write ${path}: ${(err as Error).message}`, { cause: err });
    }
  }
  write(chunk: Buffer): boolean {
    let off = 0;
    try {
      while (off < chunk.length) off += writeSync(this.fd, chunk, off, chunk.length - off);
    } catch (err) {
      throw new OutputError(`cannot write ${this.path}: ${(err as Error).message}`, { cause: err });
    }
    return true;
  }
  async drain(): Promise<void> {}
  async close(): Promise<void> {
    if (this.fd >= 0) {
      closeSync(this.fd);
      this.fd = -1;
    }
  }
}

class StreamSink implements Sink {
  readonly synchronous = false;
  private error: Error | null = null;
  constructor(
    private readonly stream: NodeJS.WritableStream,
    private readonly endOnClose: boolean,
  ) {
    stream.on('error', (err: Error) => (this.error ??= err));
  }
  private check(): void {
    if (this.error) throw new OutputError(`cannot write capture: ${this.error.message}`, { cause: this.error });
  }
  write(chunk: Buffer): boolean {
    this.check();
    return this.stream.write(chunk);
  }
  async drain(): Promise<void> {
    this.check();
    const s = this.stream as NodeJS.WritableStream & { writableNeedDrain?: boolean };
    if (!s.writableNeedDrain) return;
    await new Promise<void>((resolve) => {
      const done = (): void => {
        s.removeListener('drain', done);
        s.removeListener('error', done);
        s.removeListener('close', done);
        resolve();
      };
      s.on('drain', done);
      s.on('error', done);
      s.on('close', done);
    });
    this.check();
  }
  async close(): Promise<void> {
    if (!this.endOnClose) {
      await this.drain();
      return;
    }
    await new Promise<void>((resolve) => {
      this.stream.once('error', () => resolve());
      this.stream.end(() => resolve());
    });
    this.check();
  }
}

abstract class BufferedWriter implements CaptureWriter {
  records = 0;
  protected buf = Buffer.allocUnsafe(CHUNK);
  protected pos = 0;
  protected readonly ticks: Ticks = { hi: 0, lo: 0 };
  private needDrain = false;
  private closed = false;

  constructor(
    protected readonly sink: Sink,
    protected readonly nano: boolean,
  ) {}

  abstract write(
    data: Uint8Array,
    offset: number,
    caplen: number,
    origlen: number,
    tsSec: number,
    tsNsec: number,
    interfaceId?: number,
    comment?: string,
  ): boolean;

  /** Makes room for `n` more bytes, flushing (or growing for a huge record) as needed. */
  protected room(n: number): void {
    if (this.pos + n <= this.buf.length) return;
    this.flush();
    if (n > this.buf.length) this.buf = Buffer.allocUnsafe(n);
  }

  protected flush(): void {
    if (this.pos === 0) return;
    if (this.sink.synchronous) {
      this.sink.write(this.buf.subarray(0, this.pos));
    } else {
      const full = this.buf;
      const ok = this.sink.write(this.pos === full.length ? full : full.subarray(0, this.pos));
      if (!ok) this.needDrain = true;
      this.buf = Buffer.allocUnsafe(full.length);
    }
    this.pos = 0;
  }

  /** True while the destination wants the caller to wait. */
  protected get ok(): boolean {
    return !this.needDrain;
  }

  async drain(): Promise<void> {
    this.flush();
    await this.sink.drain();
    this.needDrain = false;
  }

  async close(): Promise<void> {
    if (this.closed) return;
    this.closed = true;
    this.flush();
    await this.sink.close();
  }

  protected copy(data: Uint8Array, offset: number, caplen: number, at: number): void {
    if (caplen > data.length - offset || offset < 0) {
      throw new UsageError(`capture writer: ${caplen} bytes at offset ${offset} exceed the ${data.length}-byte buffer`);
    }
    const b = this.buf;
    if (caplen <= 64) {
      for (let i = 0; i < caplen; i++) b[at + i] = data[offset + i]!;
    } else {
      copyBytes.call(data, b, at, offset, offset + caplen);
    }
  }

  protected checkTime(tsSec: number, tsNsec: number): void {
    if (!(tsSec >= 0 && tsSec <= 0xffffffff && tsNsec >= 0 && tsNsec < 1e9) || tsSec % 1 !== 0 || tsNsec % 1 !== 0) {
      throw new UsageError(`capture writer: timestamp ${tsSec} s + ${tsNsec} ns is out of range`);
    }
  }
}

/** Buffer.prototype.copy accepts any Uint8Array as source and target. */
const copyBytes = Buffer.prototype.copy as (this: Uint8Array, target: Uint8Array, targetStart: number, sourceStart: number, sourceEnd: number) => number;

/** A little-endian 32-bit store (the writers write little-endian files). */
export function w32(b: Uint8Array, p: number, v: number): void {
  b[p] = v;
  b[p + 1] = v >>> 8;
  b[p + 2] = v >>> 16;
  b[p + 3] = v >>> 24;
}

/** The 16-octet pcap record header at b[p] (little-endian): seconds, fraction, lengths. */
export function putPcapRecordHeader(b: Uint8Array, p: number, sec: number, frac: number, caplen: number, origlen: number): void {
  w32(b, p, sec);
  w32(b, p + 4, frac);
  w32(b, p + 8, caplen);
  w32(b, p + 12, origlen);
}

/**
 * The first 28 octets of a pcapng Enhanced Packet Block at b[p] (little-endian): type 6, block
 * length, interface, timestamp in the interface's ticks, captured and original lengths. The
 * packet data follows at p + 28, padded to 4 octets, then options and the block length again.
 */
export function putEpbHeader(b: Uint8Array, p: number, blockLen: number, interfaceId: number, ticks: Ticks, caplen: number, origlen: number): void {
  w32(b, p, 6);
  w32(b, p + 4, blockLen);
  w32(b, p + 8, interfaceId);
  w32(b, p + 12, ticks.hi);
  w32(b, p + 16, ticks.lo);
  w32(b, p + 20, caplen);
  w32(b, p + 24, origlen);
}

function w16(b: Uint8Array, p: number, v: number): void {
  b[p] = v;
  b[p + 1] = v >>> 8;
}

/** Little-endian pcap, micro- or nanosecond magic, one interface. */
class PcapWriter extends BufferedWriter {
  private readonly fracDiv: number;
  constructor(sink: Sink, opts: CaptureWriterOptions) {
    super(sink, opts.nanosecond ?? false);
    const iface = opts.interfaces[0]!;
    this.fracDiv = this.nano ? 1 : 1000;
    const b = this.buf;
    w32(b, 0, this.nano ? 0xa1b23c4d : 0xa1b2c3d4);
    w16(b, 4, 2);
    w16(b, 6, 4);
    w32(b, 8, 0);
    w32(b, 12, 0);
    w32(b, 16, iface.snaplen ?? DEFAULT_SNAPLEN);
    w32(b, 20, iface.linkType);
    this.pos = 24;
  }

  write(data: Uint8Array, offset: number, caplen: number, origlen: number, tsSec: number, tsNsec: number, interfaceId = 0, _comment?: string): boolean {
    if (interfaceId !== 0) throw new UsageError(`pcap has a single interface; interface ${interfaceId} needs pcapng`);
    if (!(tsSec >= 0 && tsSec <= 0xffffffff && tsNsec >= 0 && tsNsec < 1e9)) this.checkTime(tsSec, tsNsec);
    this.room(16 + caplen);
    const b = this.buf;
    const p = this.pos;
    const frac = this.fracDiv === 1 ? tsNsec : Math.floor(tsNsec / 1000);
    putPcapRecordHeader(b, p, tsSec, frac, caplen, origlen);
    this.copy(data, offset, caplen, p + 16);
    this.pos = p + 16 + caplen;
    this.records++;
    return this.ok;
  }
}

const utf8 = new TextEncoder();

/** Little-endian pcapng: one section, one IDB per interface, enhanced packet blocks. */
class PcapngWriter extends BufferedWriter {
  private readonly ifCount: number;
  constructor(sink: Sink, opts: CaptureWriterOptions) {
    super(sink, opts.nanosecond ?? false);
    this.ifCount = opts.interfaces.length;
    // Section header block
    const shbOpts: [number, Uint8Array][] = [];
    if (opts.comment !== undefined) shbOpts.push([1, utf8.encode(opts.comment)]);
    shbOpts.push([4, utf8.encode(`gretool ${VERSION}`)]);
    this.block(0x0a0d0d0a, 16, (b, p) => {
      w32(b, p, 0x1a2b3c4d);
      w16(b, p + 4, 1);
      w16(b, p + 6, 0);
      w32(b, p + 8, 0xffffffff);
      w32(b, p + 12, 0xffffffff);
    }, shbOpts);
    for (const iface of opts.interfaces) {
      const o: [number, Uint8Array][] = [];
      if (iface.name !== undefined) o.push([2, utf8.encode(iface.name)]);
      if (this.nano) o.push([9, Uint8Array.of(9)]);
      this.block(1, 8, (b, p) => {
        w16(b, p, iface.linkType);
        w16(b, p + 2, 0);
        w32(b, p + 4, iface.snaplen ?? DEFAULT_SNAPLEN);
      }, o);
    }
  }

  /** Writes a non-packet block: fixed body of `bodyLen` bytes, then options. */
  private block(type: number, bodyLen: number, body: (b: Uint8Array, p: number) => void, opts: [number, Uint8Array][]): void {
    let len = 12 + bodyLen;
    for (const [, v] of opts) len += 4 + ((v.length + 3) & ~3);
    if (opts.length) len += 4;
    this.room(len);
    const b = this.buf;
    let p = this.pos;
    w32(b, p, type);
    w32(b, p + 4, len);
    body(b, p + 8);
    p += 8 + bodyLen;
    p = writeOptions(b, p, opts);
    w32(b, p, len);
    this.pos = p + 4;
  }

  write(data: Uint8Array, offset: number, caplen: number, origlen: number, tsSec: number, tsNsec: number, interfaceId = 0, comment?: string): boolean {
    if (!(interfaceId >= 0 && interfaceId < this.ifCount)) {
      throw new UsageError(`capture writer: interface ${interfaceId} was not declared (${this.ifCount} interfaces)`);
    }
    if (!(tsSec >= 0 && tsSec <= 0xffffffff && tsNsec >= 0 && tsNsec < 1e9)) this.checkTime(tsSec, tsNsec);
    const padded = (caplen + 3) & ~3;
    let optBytes: Uint8Array | undefined;
    let len = 32 + padded;
    if (comment !== undefined) {
      optBytes = utf8.encode(comment);
      len += 4 + ((optBytes.length + 3) & ~3) + 4;
    }
    this.room(len);
    const b = this.buf;
    let p = this.pos;
    timeToTicks(tsSec, tsNsec, this.nano, this.ticks);
    putEpbHeader(b, p, len, interfaceId, this.ticks, caplen, origlen);
    this.copy(data, offset, caplen, p + 28);
    p += 28 + caplen;
    for (let i = caplen; i < padded; i++) b[p++] = 0;
    if (optBytes) p = writeOptions(b, p, [[1, optBytes]]);
    w32(b, p, len);
    this.pos = p + 4;
    this.records++;
    return this.ok;
  }
}

function writeOptions(b: Uint8Array, p: number, opts: [number, Uint8Array][]): number {
  if (opts.length === 0) return p;
  for (const [code, v] of opts) {
    w16(b, p, code);
    w16(b, p + 2, v.length);
    b.set(v, p + 4);
    p += 4 + v.length;
    while (p & 3) b[p++] = 0;
  }
  w32(b, p, 0); // opt_endofopt
  return p + 4;
}

/**
 * Creates a pcap or pcapng writer. `destination` is a file path, `'-'` for stdout, or a
 * writable stream (ended on close). pcap takes exactly one interface; pcapng one or more.
 * Throws OutputError when the file cannot be created and UsageError for bad options.
 */
export function createCaptureWriter(destination: string | NodeJS.WritableStream, opts: CaptureWriterOptions): CaptureWriter {
  if (opts.interfaces.length === 0) throw new UsageError('capture writer: at least one interface is needed');
  if (opts.format === 'pcap' && opts.interfaces.length !== 1) {
    throw new UsageError(`pcap holds a single interface (${opts.interfaces.length} given); write pcapng instead`);
  }
  for (const i of opts.interfaces) {
    if (!(Number.isInteger(i.linkType) && i.linkType >= 0 && i.linkType <= (opts.format === 'pcapng' ? 0xffff : 0xffffffff))) {
      throw new UsageError(`capture writer: invalid link type ${i.linkType}`);
    }
  }
  if (opts.format !== 'pcap' && opts.format !== 'pcapng') throw new UsageError(`capture writer: unknown format ${String(opts.format)}`);
  const sink: Sink =
    destination === '-'
      ? new StreamSink(process.stdout, false)
      : typeof destination === 'string'
        ? new FileSink(destination)
        : new StreamSink(destination, true);
  try {
    return opts.format === 'pcap' ? new PcapWriter(sink, opts) : new PcapngWriter(sink, opts);
  } catch (err) {
    void sink.close();
    if (err instanceof GretoolError) throw err;
    throw new OutputError(String(err));
  }
}
