/**
 * The literal prefilter: byte strings a frame must contain for a display filter to match it,
 * so that frames without any of them are skipped before dissection (the idea of a grep that
 * looks for a pattern's literal part before running the regex).
 *
 * A comparison `F == constant` (or `===`, or `F in {c1 c2 ...}` without ranges) where F is a
 * field whose values are its own frame bytes (FieldSpec.wire: addresses, unmasked big-endian
 * integers of the full width) can only hold when the constant's bytes appear in the frame;
 * so can `frame contains "literal"`. `A && B` needs what either side needs (the side with the
 * longer literals is kept), `A || B` what both sides need (their union). Anything else (`!`,
 * `!=`, ranges, CIDR prefixes, slices, functions, generated fields) gives no literal, and the
 * filter then runs on every frame as before. Literals shorter than MIN_NEEDLE bytes are not
 * worth a search and are dropped the same way.
 *
 * The prefilter is only an accelerator: frames it lets through are dissected and filtered as
 * usual, so it may let through too much (a literal that straddles two records, or sits in
 * another field), never too little.
 */
import { fieldDef, typeWidth } from '../engine/fields.js';
import type { ITest, IVal } from './ir.js';

/** Shortest literal worth searching for (shorter ones occur in most frames). */
export const MIN_NEEDLE = 4;

/** Byte strings of which a matching frame holds at least one, or null when there are none. */
export function needlesOf(t: ITest): Uint8Array[] | null {
  switch (t.k) {
    case 'and': {
      const a = needlesOf(t.a);
      const b = needlesOf(t.b);
      if (a === null) return b;
      if (b === null) return a;
      return shortest(a) >= shortest(b) ? a : b;
    }
    case 'or': {
      const a = needlesOf(t.a);
      const b = needlesOf(t.b);
      return a !== null && b !== null ? [...a, ...b] : null;
    }
    case 'cmp': {
      if (t.rel !== 'eq' || t.neg) return null;
      const n = t.a.k === 'field' ? wireBytes(t.a, t.b) : wireBytes(t.b, t.a);
      return n === null ? null : [n];
    }
    case 'in': {
      if (t.items.length === 0) return null;
      const out: Uint8Array[] = [];
      for (const it of t.items) {
        if (it.hi !== null) return null;
        const n = wireBytes(t.a, it.lo);
        if (n === null) return null;
        out.push(n);
      }
      return out;
    }
    case 'contains': {
      const a = t.a;
      const b = t.b;
      if (a.k !== 'field' || a.def.abbrev !== 'frame' || b.k !== 'const' || b.bytes === null) return null;
      return b.bytes.length >= MIN_NEEDLE ? [b.bytes] : null;
    }
    default:
      return null;
  }
}

function shortest(ns: Uint8Array[]): number {
  let m = Infinity;
  for (const n of ns) if (n.length < m) m = n.length;
  return m;
}

/** The frame bytes of `c` as a value of wire field `f`, or null when that is not known. */
function wireBytes(f: IVal, c: IVal): Uint8Array | null {
  if (f.k !== 'field' || c.k !== 'const') return null;
  const def = fieldDef(f.def.id);
  if (!def.wire || def.mask !== 0) return null;
  let out: Uint8Array | null = null;
  switch (def.type) {
    case 'uint16':
    case 'uint24':
    case 'uint32': {
      const w = typeWidth(def.type);
      if (c.dom !== 'num' || c.mask !== 0xffffffff || !Number.isInteger(c.num) || c.num < 0 || c.num >= 2 ** (8 * w)) return null;
      out = bigEndian(c.num, w);
      break;
    }
    case 'ipv4':
      if (c.dom !== 'num' || c.mask !== 0xffffffff || !Number.isInteger(c.num) || c.num < 0 || c.num > 0xffffffff) return null;
      out = bigEndian(c.num, 4);
      break;
    case 'ether':
      if (c.dom === 'num' && Number.isInteger(c.num) && c.num >= 0 && c.num < 2 ** 48) out = bigEndian(c.num, 6);
      else if (c.dom === 'bytes' && c.bytes !== null && c.bytes.length === 6) out = c.bytes;
      else return null;
      break;
    case 'ipv6':
      if (c.dom !== 'ipv6' || c.bytes === null || c.bytes.length !== 16 || c.prefix !== 128) return null;
      out = c.bytes;
      break;
    default:
      return null;
  }
  return out.length >= MIN_NEEDLE ? out : null;
}

function bigEndian(v: number, width: number): Uint8Array {
  const b = new Uint8Array(width);
  for (let i = width - 1; i >= 0; i--) {
    b[i] = v % 256;
    v = Math.floor(v / 256);
  }
  return b;
}

/**
 * Tells, record by record, whether a frame may hold one of the needles. Records come in file
 * order from one chunk buffer at a time; each needle is searched (natively, Buffer.indexOf)
 * once per stretch of the chunk, not once per frame. Call `reset()` when the chunk's contents
 * change (after every fill of the capture reader).
 */
export class NeedleScan {
  private readonly needles: Buffer[];
  /** Next known position of each needle in the current chunk (-1: unknown, Infinity: none left). */
  private readonly next: Float64Array;
  private chunk: Uint8Array | null = null;
  private view: Buffer = Buffer.alloc(0);

  constructor(needles: readonly Uint8Array[]) {
    this.needles = needles.map((n) => Buffer.from(n));
    this.next = new Float64Array(needles.length).fill(-1);
  }

  reset(): void {
    this.chunk = null;
  }

  /** True when data[off, off + len) holds one of the needles. */
  mayMatch(data: Uint8Array, off: number, len: number): boolean {
    if (data !== this.chunk) {
      this.chunk = data;
      this.view = Buffer.from(data.buffer, data.byteOffset, data.length);
      this.next.fill(-1);
    }
    const end = off + len;
    const next = this.next;
    const needles = this.needles;
    for (let i = 0; i < needles.length; i++) {
      let at = next[i]!;
      if (at < off) {
        const found = this.view.indexOf(needles[i]!, off);
        at = next[i] = found < 0 ? Infinity : found;
      }
      if (at + needles[i]!.length <= end) return true;
    }
    return false;
  }
}
