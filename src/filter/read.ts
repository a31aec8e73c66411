/**
 * Reading field values out of the flat field table for the filter, without allocating:
 * numbers are returned as numbers; byte values are returned as a view (buffer, offset,
 * length) in the shared `V` record, pointing into the frame's bytes or, for values that are
 * not in the bytes (generated addresses, string values, computed strings), into a per-
 * evaluator arena that is reused from frame to frame.
 */
import { fieldDef, type FieldDef } from '../engine/fields.js';
import { HAS_NUM, HAS_STR, type Packet } from '../engine/packet.js';
import { nodeNumber } from '../engine/values.js';
import type { Cls } from './ir.js';

/*
 * "No value" is NaN, written `0 / 0`: TurboFan folds that to a float constant, while the global
 * `NaN` is a tagged load that makes the whole result tagged, so every value read got boxed
 * (one heap number per comparison; measured with bench/filter.ts's GC count).
 */
const EMPTY = new Uint8Array(0);
const F32 = new Float32Array(1);
const F32B = new Uint8Array(F32.buffer);
const F64 = new Float64Array(1);
const F64B = new Uint8Array(F64.buffer);
const HOST_LE = new Uint8Array(new Uint16Array([1]).buffer)[0] === 1;

/** The current byte view: V.b[V.o .. V.o + V.l). */
export const V: { b: Uint8Array; o: number; l: number } = { b: EMPTY, o: 0, l: 0 };

/** Scratch bytes for values not present verbatim in the frame; reset per frame. */
export class Arena {
  buf = new Uint8Array(256);
  used = 0;
  /** Reserves n bytes; returns their offset in `buf` (buf may be replaced: old views stay valid). */
  alloc(n: number): number {
    if (this.used + n > this.buf.length) {
      this.buf = new Uint8Array(Math.max(this.buf.length * 2, n * 2));
      this.used = 0;
    }
    const o = this.used;
    this.used += n;
    return o;
  }
}

/** Sets V to the UTF-8 encoding of `s`, written into the arena. */
export function viewString(s: string, arena: Arena): void {
  const o = arena.alloc(s.length * 3);
  const b = arena.buf;
  let j = o;
  for (let i = 0; i < s.length; i++) {
    let c = s.charCodeAt(i);
    if (c < 0x80) b[j++] = c;
    else if (c < 0x800) {
      b[j++] = 0xc0 | (c >> 6);
      b[j++] = 0x80 | (c & 63);
    } else {
      if (c >= 0xd800 && c < 0xdc00 && i + 1 < s.length) {
        const d = s.charCodeAt(i + 1);
        if (d >= 0xdc00 && d < 0xe000) {
          c = 0x10000 + ((c - 0xd800) << 10) + (d - 0xdc00);
          i++;
          b[j++] = 0xf0 | (c >> 18);
          b[j++] = 0x80 | ((c >> 12) & 63);
          b[j++] = 0x80 | ((c >> 6) & 63);
          b[j++] = 0x80 | (c & 63);
          continue;
        }
      }
      if (c >= 0xd800 && c < 0xe000) c = 0xfffd;
      b[j++] = 0xe0 | (c >> 12);
      b[j++] = 0x80 | ((c >> 6) & 63);
      b[j++] = 0x80 | (c & 63);
    }
  }
  arena.used = j;
  V.b = b;
  V.o = o;
  V.l = j - o;
}

const decoder = new TextDecoder();

/** Sets V to the frame bytes of node i, clipped to the captured length (empty if none). */
export function viewFrame(p: Packet, i: number): void {
  const t = p.tree;
  const off = t.off[i]!;
  if (off < 0) {
    V.b = EMPTY;
    V.o = 0;
    V.l = 0;
    return;
  }
  const end = Math.min(off + t.len[i]!, p.caplen);
  V.b = p.data;
  V.o = p.base + off;
  V.l = end > off ? end - off : 0;
}

/**
 * Sets V to the bytes of node i's value: string fields as UTF-8 text (the same text the
 * outputs show), generated IPv4/MAC addresses in network order, everything else as the bytes
 * the node covers.
 */
export function viewNode(p: Packet, i: number, def: FieldDef, cls: Cls, arena: Arena): void {
  const t = p.tree;
  const fl = t.flags[i]!;
  if (cls === 'string') {
    if (fl & HAS_STR) return viewString(t.strs[i] ?? '', arena);
    if (def.compute && !(fl & HAS_NUM)) return viewString(String(def.compute(p, i)), arena);
    viewFrame(p, i);
    const b = V.b;
    for (let k = V.o, e = V.o + V.l; k < e; k++) {
      if (b[k]! >= 0x80) return viewString(decoder.decode(b.subarray(V.o, V.o + V.l)), arena);
    }
    return;
  }
  if (fl & HAS_NUM && (cls === 'ipv4' || cls === 'ether')) {
    const v = t.num[i]!;
    const n = cls === 'ipv4' ? 4 : 6;
    const o = arena.alloc(n);
    const b = arena.buf;
    const hi = Math.floor(v / 4294967296);
    const lo = v >>> 0;
    if (n === 6) {
      b[o] = (hi >>> 8) & 255;
      b[o + 1] = hi & 255;
    }
    const q = o + n - 4;
    b[q] = lo >>> 24;
    b[q + 1] = (lo >>> 16) & 255;
    b[q + 2] = (lo >>> 8) & 255;
    b[q + 3] = lo & 255;
    V.b = b;
    V.o = o;
    V.l = n;
    return;
  }
  viewFrame(p, i);
}

/** IPv4 address of node i as a uint32 (NaN if not captured). Small, so call sites inline it. */
export function readIPv4(p: Packet, i: number): number {
  const t = p.tree;
  if (t.flags[i]! & HAS_NUM) return t.num[i]!;
  const off = t.off[i]!;
  if (off < 0 || t.len[i]! < 4 || off + 4 > p.caplen) return 0 / 0;
  const d = p.data;
  const k = p.base + off;
  return d[k]! * 16777216 + ((d[k + 1]! << 16) | (d[k + 2]! << 8) | d[k + 3]!);
}

/** MAC address of node i as a 48-bit number (NaN if not captured). */
export function readEther(p: Packet, i: number): number {
  const t = p.tree;
  if (t.flags[i]! & HAS_NUM) return t.num[i]!;
  const off = t.off[i]!;
  if (off < 0 || t.len[i]! < 6 || off + 6 > p.caplen) return 0 / 0;
  const d = p.data;
  const k = p.base + off;
  return ((d[k]! << 8) | d[k + 1]!) * 4294967296 + d[k + 2]! * 16777216 + ((d[k + 3]! << 16) | (d[k + 4]! << 8) | d[k + 5]!);
}

/** Unsigned integer of node i without a mask, 1 to 6 bytes (NaN if not captured). */
export function readPlainUint(p: Packet, i: number): number {
  const t = p.tree;
  if (t.flags[i]! & HAS_NUM) return t.num[i]!;
  const off = t.off[i]!;
  const len = t.len[i]!;
  if (off < 0 || len <= 0 || len > 6 || off + len > p.caplen) return len > 6 && off >= 0 && off + len <= p.caplen ? nodeNumber(p, i) : 0 / 0;
  const d = p.data;
  let k = p.base + off;
  let x = 0;
  for (const e = k + len; k < e; k++) x = x * 256 + d[k]!;
  return x;
}

/** True for fields read by readPlainUint (unsigned, no mask, not computed). */
export function isPlainUint(def: FieldDef): boolean {
  return !def.mask && !def.compute && (def.type === 'uint8' || def.type === 'uint16' || def.type === 'uint24' || def.type === 'uint32' || def.type === 'framenum');
}

/** A reader of node values in the num domain for one field (specialised once, at compile). */
export type NumReader = (p: Packet, i: number) => number;

export function numReader(def: FieldDef, cls: Cls): NumReader {
  const compute = def.compute;
  switch (cls) {
    case 'abstime':
      // gretool's abs_time nodes show the frame's timestamp unless computed (seconds since the epoch)
      return (p, i) => {
        if (compute && !(p.tree.flags[i]! & (HAS_NUM | HAS_STR))) {
          const v = compute(p, i);
          if (typeof v === 'number') return v * 1e6;
        }
        return p.tsSec * 1e6 + p.tsNsec / 1e3;
      };
    case 'ipv4':
      return readIPv4;
    case 'ether':
      return readEther;
    case 'float':
      return (p, i) => {
        const t = p.tree;
        if (t.flags[i]! & HAS_NUM) return t.num[i]!;
        if (compute) return Number(compute(p, i));
        const off = t.off[i]!;
        const len = t.len[i]!;
        if (off < 0 || off + len > p.caplen || (len !== 4 && len !== 8)) return 0 / 0;
        // big-endian bytes into a little-endian scratch (no DataView per value)
        const d = p.data;
        const at = p.base + off;
        if (len === 4) {
          for (let k = 0; k < 4; k++) F32B[k] = d[at + (HOST_LE ? 3 - k : k)]!;
          return F32[0]!;
        }
        for (let k = 0; k < 8; k++) F64B[k] = d[at + (HOST_LE ? 7 - k : k)]!;
        return F64[0]!;
      };
    default: {
      if (compute) {
        return (p, i) => {
          const t = p.tree;
          if (t.flags[i]! & HAS_NUM) return t.num[i]!;
          return Number(compute(p, i));
        };
      }
      if (isPlainUint(def)) return readPlainUint;
      return (p, i) => {
        const t = p.tree;
        if (t.flags[i]! & HAS_NUM) return t.num[i]!;
        const off = t.off[i]!;
        if (off < 0 || off + t.len[i]! > p.caplen) return 0 / 0;
        return nodeNumber(p, i);
      };
    }
  }
}

/**
 * Wireshark's layer number of node i: which occurrence, in the frame, of the protocol that added
 * it. The engine records it per node (FieldTable.layer); nodes added outside any dissector call
 * (hand-built tables) fall back to the occurrence of the nearest protocol ancestor.
 */
export function layerOf(p: Packet, i: number): number {
  const t = p.tree;
  const stored = t.layer[i]!;
  if (stored > 0) return stored;
  let a = i;
  while (a >= 0) {
    const f = t.fid[a]!;
    if (f >= 0 && fieldDef(f).type === 'protocol') break;
    a = t.parent[a]!;
  }
  if (a < 0) return 1;
  const pf = t.fid[a]!;
  let k = 1;
  for (let j = 0; j < a; j++) if (t.fid[j] === pf) k++;
  return k;
}
