/**
 * Test helpers for the capture layer: reading everything into plain objects, hand-building
 * pcap/pcapng bytes in either byte order, byte-swapping real files, and running the Wireshark
 * oracles (capinfos, tshark).
 */
import { GretoolError } from '../../src/errors.js';
import {
  createCaptureWriter,
  openCapture,
  type CaptureReader,
  type CaptureSource,
  type CaptureWriterOptions,
  type OpenCaptureOptions,
} from '../../src/capture/index.js';
import { run } from '../helpers/cli.js';

/** A copied record. */
export interface Rec {
  frame: number;
  fileOffset: number;
  bytes: number[];
  caplen: number;
  origlen: number;
  sec: number;
  nsec: number;
  iface: number;
  linkType: number;
  comments?: string[];
  hasTimestamp?: boolean;
}

export interface ReadAll {
  reader: CaptureReader;
  recs: Rec[];
  error: GretoolError | null;
}

/** Reads every record (copying it) and the error that ended the read, if any. */
export async function readAll(source: CaptureSource, opts: OpenCaptureOptions = {}): Promise<ReadAll> {
  const reader = await openCapture(source, opts);
  const recs: Rec[] = [];
  let error: GretoolError | null = null;
  try {
    for (;;) {
      let r;
      while ((r = reader.next()) !== null) {
        const rec: Rec = {
          frame: r.frameNumber,
          fileOffset: r.fileOffset,
          bytes: Array.from(r.data.subarray(r.offset, r.offset + r.caplen)),
          caplen: r.caplen,
          origlen: r.origlen,
          sec: r.tsSec,
          nsec: r.tsNsec,
          iface: r.interfaceId,
          linkType: r.linkType,
        };
        if (r.comments) rec.comments = [...r.comments];
        if (r.hasTimestamp === false) rec.hasTimestamp = false;
        recs.push(rec);
      }
      if (!(await reader.fill())) break;
    }
  } catch (err) {
    if (!(err instanceof GretoolError)) throw err;
    error = err;
  } finally {
    await reader.close();
  }
  return { reader, recs, error };
}

/** Opens and reads; resolves to the GretoolError thrown at open or read (fails otherwise). */
export async function readError(source: CaptureSource, opts: OpenCaptureOptions = {}): Promise<GretoolError> {
  try {
    const r = await readAll(source, opts);
    if (r.error) return r.error;
  } catch (err) {
    if (err instanceof GretoolError) return err;
    throw err;
  }
  throw new Error('expected a GretoolError');
}

/** A deterministic PRNG (mulberry32). */
export function rng(seed: number): () => number {
  let a = seed >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

export interface SpecRecord {
  data: Uint8Array;
  origlen: number;
  sec: number;
  nsec: number;
  iface: number;
  comment?: string;
}

/** Varied records: lengths 1–1514 (some tiny, some big), sub-microsecond parts, some short captures. */
export function variedRecords(n: number, seed = 1, ifaces = 1): SpecRecord[] {
  const rand = rng(seed);
  const out: SpecRecord[] = [];
  let sec = 1_700_000_000;
  let nsec = 123_456_789;
  for (let i = 0; i < n; i++) {
    const pick = rand();
    const len = pick < 0.1 ? 1 + Math.floor(rand() * 20) : pick < 0.6 ? 40 + Math.floor(rand() * 160) : 1000 + Math.floor(rand() * 515);
    const data = new Uint8Array(len);
    for (let k = 0; k < len; k++) data[k] = Math.floor(rand() * 256);
    const origlen = rand() < 0.2 ? len + Math.floor(rand() * 100) : len;
    nsec += Math.floor(rand() * 900_000_000) + 1;
    while (nsec >= 1e9) {
      nsec -= 1e9;
      sec += 1;
    }
    out.push({ data, origlen, sec, nsec, iface: i % ifaces, comment: i % 97 === 5 ? `comment on record ${i}` : undefined });
  }
  return out;
}

/** Writes records with gretool's writer into a file. */
export async function writeRecords(path: string, opts: CaptureWriterOptions, recs: SpecRecord[], comments = true): Promise<void> {
  const w = createCaptureWriter(path, opts);
  for (const r of recs) w.write(r.data, 0, r.data.length, r.origlen, r.sec, r.nsec, r.iface, comments ? r.comment : undefined);
  await w.close();
}

// ---------------------------------------------------------------------------------------------
// Byte building

/** Growable byte buffer with endian-aware integer writes. */
export class Bytes {
  private parts: number[] = [];
  constructor(readonly le = true) {}
  get length(): number {
    return this.parts.length;
  }
  u8(v: number): this {
    this.parts.push(v & 0xff);
    return this;
  }
  u16(v: number): this {
    return this.le ? this.u8(v).u8(v >>> 8) : this.u8(v >>> 8).u8(v);
  }
  u32(v: number): this {
    return this.le ? this.u16(v & 0xffff).u16(v >>> 16) : this.u16(v >>> 16).u16(v & 0xffff);
  }
  bytes(b: ArrayLike<number>): this {
    for (let i = 0; i < b.length; i++) this.parts.push(b[i]! & 0xff);
    return this;
  }
  pad4(): this {
    while (this.parts.length % 4) this.parts.push(0);
    return this;
  }
  out(): Uint8Array {
    return Uint8Array.from(this.parts);
  }
}

export function concat(...parts: Uint8Array[]): Uint8Array {
  const n = parts.reduce((a, p) => a + p.length, 0);
  const out = new Uint8Array(n);
  let o = 0;
  for (const p of parts) {
    out.set(p, o);
    o += p.length;
  }
  return out;
}

const enc = new TextEncoder();

export type Opt = [code: number, value: Uint8Array | string];

function optionsBytes(le: boolean, opts: Opt[]): Uint8Array {
  if (opts.length === 0) return new Uint8Array(0);
  const b = new Bytes(le);
  for (const [code, v] of opts) {
    const val = typeof v === 'string' ? enc.encode(v) : v;
    b.u16(code).u16(val.length).bytes(val).pad4();
  }
  b.u16(0).u16(0);
  return b.out();
}

/** A pcapng block with the given body (already in the right byte order) and options. */
export function block(le: boolean, type: number, body: Uint8Array, opts: Opt[] = [], lengthOverride?: { leading?: number; trailing?: number }): Uint8Array {
  const o = optionsBytes(le, opts);
  const padded = (body.length + 3) & ~3;
  const len = 12 + padded + o.length;
  const b = new Bytes(le);
  b.u32(type).u32(lengthOverride?.leading ?? len).bytes(body).pad4().bytes(o).u32(lengthOverride?.trailing ?? len);
  return b.out();
}

export function shb(le: boolean, opts: Opt[] = [], version: [number, number] = [1, 0]): Uint8Array {
  const body = new Bytes(le).u32(0x1a2b3c4d).u16(version[0]).u16(version[1]).u32(0xffffffff).u32(0xffffffff).out();
  return block(le, 0x0a0d0d0a, body, opts);
}

export function idb(le: boolean, linkType: number, snaplen = 0, opts: Opt[] = []): Uint8Array {
  return block(le, 1, new Bytes(le).u16(linkType).u16(0).u32(snaplen).out(), opts);
}

/** Splits a tick count into 32-bit halves. */
export function halves(ticks: bigint): [number, number] {
  return [Number(ticks >> 32n), Number(ticks & 0xffffffffn)];
}

export function epb(le: boolean, ifid: number, ticks: bigint, data: Uint8Array, origlen = data.length, opts: Opt[] = []): Uint8Array {
  const [hi, lo] = halves(ticks);
  const body = new Bytes(le).u32(ifid).u32(hi).u32(lo).u32(data.length).u32(origlen).bytes(data).pad4().out();
  return block(le, 6, body, opts);
}

export function opb(le: boolean, ifid: number, ticks: bigint, data: Uint8Array, origlen = data.length, opts: Opt[] = []): Uint8Array {
  const [hi, lo] = halves(ticks);
  const body = new Bytes(le).u16(ifid).u16(0).u32(hi).u32(lo).u32(data.length).u32(origlen).bytes(data).pad4().out();
  return block(le, 2, body, opts);
}

export function spb(le: boolean, origlen: number, data: Uint8Array): Uint8Array {
  return block(le, 3, new Bytes(le).u32(origlen).bytes(data).pad4().out());
}

/** A pcap file header + records. */
export function pcapFile(
  le: boolean,
  nano: boolean,
  recs: { sec: number; frac: number; data: Uint8Array; origlen?: number; caplen?: number }[],
  header: { linkType?: number; snaplen?: number; major?: number; minor?: number } = {},
): Uint8Array {
  const b = new Bytes(le);
  b.u32(nano ? 0xa1b23c4d : 0xa1b2c3d4)
    .u16(header.major ?? 2)
    .u16(header.minor ?? 4)
    .u32(0)
    .u32(0)
    .u32(header.snaplen ?? 65535)
    .u32(header.linkType ?? 1);
  for (const r of recs) b.u32(r.sec).u32(r.frac).u32(r.caplen ?? r.data.length).u32(r.origlen ?? r.data.length).bytes(r.data);
  return b.out();
}

// ---------------------------------------------------------------------------------------------
// Byte swapping of real files

function rd32(b: Uint8Array, p: number, le: boolean): number {
  return le ? (b[p]! | (b[p + 1]! << 8) | (b[p + 2]! << 16) | (b[p + 3]! << 24)) >>> 0 : ((b[p]! << 24) | (b[p + 1]! << 16) | (b[p + 2]! << 8) | b[p + 3]!) >>> 0;
}
function rd16(b: Uint8Array, p: number, le: boolean): number {
  return le ? b[p]! | (b[p + 1]! << 8) : (b[p]! << 8) | b[p + 1]!;
}

/** A little-endian pcap rewritten big-endian (same magic kind). */
export function swapPcap(src: Uint8Array): Uint8Array {
  const out = Uint8Array.from(src);
  const sw = (p: number, n: number): void => {
    for (let i = 0; i < n; i++) out[p + i] = src[p + n - 1 - i]!;
  };
  sw(0, 4);
  sw(4, 2);
  sw(6, 2);
  for (const p of [8, 12, 16, 20]) sw(p, 4);
  let p = 24;
  while (p + 16 <= src.length) {
    const caplen = rd32(src, p + 8, true);
    for (let k = 0; k < 16; k += 4) sw(p + k, 4);
    p += 16 + caplen;
  }
  return out;
}

/**
 * A little-endian pcapng rewritten big-endian. Keeps SHB, IDB, EPB and SPB with their string
 * options and if_tsresol; drops other blocks and options (their layouts are not needed here).
 */
export function swapPcapng(src: Uint8Array): Uint8Array {
  const parts: Uint8Array[] = [];
  let p = 0;
  const keptOpts = (start: number, end: number, keep: number[]): Opt[] => {
    const out: Opt[] = [];
    let o = start;
    while (o + 4 <= end) {
      const code = rd16(src, o, true);
      const len = rd16(src, o + 2, true);
      if (code === 0) break;
      if (keep.includes(code)) out.push([code, src.slice(o + 4, o + 4 + len)]);
      o += 4 + ((len + 3) & ~3);
    }
    return out;
  };
  while (p + 12 <= src.length) {
    const type = rd32(src, p, true);
    const len = rd32(src, p + 4, true);
    const end = p + len - 4;
    if (type === 0x0a0d0d0a) {
      parts.push(shb(false, keptOpts(p + 24, end, [1, 2, 3, 4]), [rd16(src, p + 12, true), rd16(src, p + 14, true)]));
    } else if (type === 1) {
      parts.push(idb(false, rd16(src, p + 8, true), rd32(src, p + 12, true), keptOpts(p + 16, end, [1, 2, 3, 9])));
    } else if (type === 6) {
      const caplen = rd32(src, p + 20, true);
      const ticks = (BigInt(rd32(src, p + 12, true)) << 32n) | BigInt(rd32(src, p + 16, true));
      const data = src.slice(p + 28, p + 28 + caplen);
      parts.push(epb(false, rd32(src, p + 8, true), ticks, data, rd32(src, p + 24, true), keptOpts(p + 28 + ((caplen + 3) & ~3), end, [1])));
    } else if (type === 3) {
      const origlen = rd32(src, p + 8, true);
      parts.push(spb(false, origlen, src.slice(p + 12, end)));
    }
    p += len;
  }
  return concat(...parts);
}

// ---------------------------------------------------------------------------------------------
// Oracles

export interface CapinfosFigures {
  packets: number;
  /** Sum of original lengths ("data size"). */
  dataBytes: number;
  /** As capinfos prints them: at the file's precision (truncated), or "n/a". */
  start: string;
  end: string;
}

/** capinfos table output: packets, data size (sum of original lengths), start and end time. */
export function capinfos(file: string): CapinfosFigures {
  const r = run('capinfos', ['-T', '-r', '-M', '-S', '-c', '-d', '-a', '-e', file]);
  if (r.status !== 0) throw new Error(`capinfos failed on ${file}: ${r.stderr}`);
  const f = r.stdout.trim().split('\t');
  return { packets: Number(f[1]), dataBytes: Number(f[2]), start: f[3]!.trim(), end: f[4]!.trim() };
}

/**
 * True when gretool's nine-decimal time equals capinfos' figure, which is printed at the
 * file's precision (truncated): "1700000000.000002" matches "1700000000.000002861".
 */
export function sameTime(ours: string | null, theirs: string): boolean {
  if (theirs === 'n/a') return ours === null;
  if (ours === null) return false;
  const dot = theirs.indexOf('.');
  const decimals = dot < 0 ? 0 : theirs.length - dot - 1;
  const cut = decimals === 0 ? ours.slice(0, ours.indexOf('.')) : ours.slice(0, ours.indexOf('.') + 1 + decimals);
  return cut === theirs;
}

/** Normalises an epoch time string to nine decimals ("n/a" stays). */
export function nine(t: string): string {
  const m = /^(-?\d+)(?:\.(\d+))?$/.exec(t.trim());
  if (!m) return t.trim();
  return `${m[1]}.${(m[2] ?? '').padEnd(9, '0').slice(0, 9)}`;
}

export interface TsharkFrame {
  caplen: number;
  len: number;
  time: string;
  iface: string;
  comment: string;
}

/** Per-frame figures from tshark. */
export function tsharkFrames(file: string): TsharkFrame[] {
  const r = run('tshark', ['-n', '-r', file, '-T', 'fields', '-E', 'separator=\t', '-e', 'frame.cap_len', '-e', 'frame.len', '-e', 'frame.time_epoch', '-e', 'frame.interface_id', '-e', 'frame.comment']);
  if (r.status !== 0) throw new Error(`tshark failed on ${file}: ${r.stderr}`);
  return r.stdout
    .split('\n')
    .filter((l) => l.length > 0)
    .map((l) => {
      const [caplen, len, time, iface, comment] = l.split('\t');
      return { caplen: Number(caplen), len: Number(len), time: nine(time ?? ''), iface: iface ?? '', comment: comment ?? '' };
    });
}

/** Formats a record's time like tshark's frame.time_epoch with nine decimals. */
export function recTime(r: Rec): string {
  return `${r.sec}.${String(r.nsec).padStart(9, '0')}`;
}
