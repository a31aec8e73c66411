/**
 * Addresses for the correlator: text ⇄ bytes, and an interning table that maps an address
 * (4 or 16 octets) to a small integer id. Lookups hash the bytes where they lie in the frame
 * and allocate nothing; only a new address allocates (its text, once).
 */
import { TextBuf } from '../engine/textbuf.js';
import { slotCount } from './intmap.js';

const tb = new TextBuf(64);

/** Canonical text of an IPv4 (len 4) or IPv6 (len 16) address at data[off]. */
export function addrText(data: Uint8Array, off: number, len: number): string {
  tb.clear();
  return (len === 4 ? tb.ipv4(data, off) : tb.ipv6(data, off)).toString();
}

/** Parses dotted IPv4 or IPv6 text (with ::, and an embedded IPv4 tail) into 4 or 16 bytes. */
export function parseAddr(s: string): Uint8Array {
  if (!s.includes(':')) {
    const quick = dottedQuad(s);
    if (quick !== null) return quick;
    const parts = s.split('.');
    if (parts.length !== 4) throw new Error(`bad IPv4 address: ${s}`);
    const out = new Uint8Array(4);
    for (let i = 0; i < 4; i++) {
      const v = Number(parts[i]);
      if (!Number.isInteger(v) || v < 0 || v > 255) throw new Error(`bad IPv4 address: ${s}`);
      out[i] = v;
    }
    return out;
  }
  const quick = hexGroups(s);
  if (quick !== null) return quick;
  let text = s;
  const groups: number[] = [];
  const lastColon = text.lastIndexOf(':');
  let v4tail: Uint8Array | null = null;
  if (text.slice(lastColon + 1).includes('.')) {
    v4tail = parseAddr(text.slice(lastColon + 1));
    text = text.slice(0, lastColon + 1) + '0:0';
  }
  const dbl = text.indexOf('::');
  const parse = (part: string): number[] =>
    part === '' ? [] : part.split(':').map((g) => {
      const v = parseInt(g, 16);
      if (!/^[0-9a-fA-F]{1,4}$/.test(g)) throw new Error(`bad IPv6 address: ${s}`);
      return v;
    });
  if (dbl >= 0) {
    const head = parse(text.slice(0, dbl));
    const tail = parse(text.slice(dbl + 2));
    const fill = 8 - head.length - tail.length;
    if (fill < 0) throw new Error(`bad IPv6 address: ${s}`);
    groups.push(...head, ...new Array<number>(fill).fill(0), ...tail);
  } else groups.push(...parse(text));
  if (groups.length !== 8) throw new Error(`bad IPv6 address: ${s}`);
  const out = new Uint8Array(16);
  for (let i = 0; i < 8; i++) {
    out[2 * i] = groups[i]! >>> 8;
    out[2 * i + 1] = groups[i]! & 255;
  }
  if (v4tail) out.set(v4tail, 12);
  return out;
}

/**
 * The common IPv4 text, four groups of 1 to 3 decimal digits (each at most 255) joined by
 * dots, parsed without splitting; null for anything else (parseAddr's general code decides).
 */
function dottedQuad(s: string): Uint8Array | null {
  const out = new Uint8Array(4);
  let part = 0;
  let v = 0;
  let digits = 0;
  for (let i = 0; i < s.length; i++) {
    const c = s.charCodeAt(i);
    if (c >= 48 && c <= 57) {
      if (++digits > 3) return null;
      v = v * 10 + (c - 48);
    } else if (c === 46 && digits > 0 && part < 3) {
      if (v > 255) return null;
      out[part++] = v;
      v = 0;
      digits = 0;
    } else return null;
  }
  if (part !== 3 || digits === 0 || v > 255) return null;
  out[3] = v;
  return out;
}

const groupScratch = new Uint16Array(8);

/**
 * The common IPv6 text, groups of 1 to 4 hex digits joined by ':' with at most one '::' (no
 * embedded IPv4, no zone), parsed in one scan; null for anything else (parseAddr's general
 * code decides, and rejects what is malformed).
 */
function hexGroups(s: string): Uint8Array | null {
  const g = groupScratch;
  let n = 0; // groups so far
  let head = -1; // groups before the '::', -1 while there is none
  let v = 0;
  let digits = 0;
  let i = 0;
  if (s.charCodeAt(0) === 58 && s.charCodeAt(1) === 58) {
    head = 0;
    i = 2;
  }
  for (; i < s.length; i++) {
    const c = s.charCodeAt(i);
    let d: number;
    if (c >= 48 && c <= 57) d = c - 48;
    else if (c >= 97 && c <= 102) d = c - 87;
    else if (c >= 65 && c <= 70) d = c - 55;
    else if (c === 58) {
      if (digits > 0) {
        if (n === 8) return null;
        g[n++] = v;
        v = 0;
        digits = 0;
      } else if (head < 0 && i > 0 && s.charCodeAt(i - 1) === 58) head = n; // the '::'
      else return null;
      continue;
    } else return null;
    if (++digits > 4) return null;
    v = v * 16 + d;
  }
  if (digits > 0) {
    if (n === 8) return null;
    g[n++] = v;
  } else if (!(head === n && s.length >= 2 && s.charCodeAt(s.length - 1) === 58 && s.charCodeAt(s.length - 2) === 58)) return null;
  if (head < 0 ? n !== 8 : n > 8) return null;
  const out = new Uint8Array(16);
  const tail = head < 0 ? 0 : n - head;
  const lead = head < 0 ? n : head;
  for (let k = 0; k < lead; k++) {
    out[2 * k] = g[k]! >>> 8;
    out[2 * k + 1] = g[k]! & 255;
  }
  for (let k = 0; k < tail; k++) {
    const at = 8 - tail + k;
    out[2 * at] = g[lead + k]! >>> 8;
    out[2 * at + 1] = g[lead + k]! & 255;
  }
  return out;
}

/** Canonical form of an address text (so "2001:DB8:0::1" and "2001:db8::1" compare equal). */
export function canonicalAddr(s: string): string {
  const b = parseAddr(s);
  return addrText(b, 0, b.length);
}

/** IPv4 address bytes as an unsigned 32-bit number. */
export function ipv4Number(data: Uint8Array, off: number): number {
  return ((data[off]! << 24) >>> 0) + ((data[off + 1]! << 16) | (data[off + 2]! << 8) | data[off + 3]!);
}

/** FNV-1a over the first `bits` bits at data[off] (for prefixes), as an int32. */
export function hashBits(data: Uint8Array, off: number, bits: number): number {
  let h = 0x811c9dc5;
  const full = bits >>> 3;
  for (let i = 0; i < full; i++) h = Math.imul(h ^ data[off + i]!, 0x01000193);
  const rem = bits & 7;
  if (rem) h = Math.imul(h ^ (data[off + full]! & (0xff << (8 - rem)) & 0xff), 0x01000193);
  return h | 0;
}

/**
 * Interning table: address → id (0, 1, 2, …). Open addressing over an Int32Array; an address
 * is kept as four 32-bit words (IPv4: one word), so hashing and comparing cost four word
 * operations. `lookupView` reads the words straight from a DataView over the frame's buffer.
 */
export class AddrTable {
  private slots: Int32Array;
  private mask: number;
  private words: Int32Array;
  private lens: Uint8Array;
  private hashes: Int32Array;
  private texts: string[] = [];
  private n = 0;

  constructor(capacity = 1024) {
    const cap = slotCount(capacity);
    this.slots = new Int32Array(cap).fill(-1);
    this.mask = cap - 1;
    this.words = new Int32Array(4 * (cap >>> 1));
    this.lens = new Uint8Array(cap >>> 1);
    this.hashes = new Int32Array(cap >>> 1);
  }

  get size(): number {
    return this.n;
  }

  private static hash(w0: number, w1: number, w2: number, w3: number, len: number): number {
    let h = Math.imul(w0 ^ len, 0x9e3779b1);
    h = Math.imul(h ^ (h >>> 15) ^ w1, 0x85ebca6b);
    h = Math.imul(h ^ (h >>> 13) ^ w2, 0xc2b2ae35);
    h = Math.imul(h ^ (h >>> 16) ^ w3, 0x27d4eb2f);
    h ^= h >>> 15;
    return h | 0;
  }

  /** The id of an address given as words (IPv4: w1 = w2 = w3 = 0), or -1. */
  lookupWords(w0: number, w1: number, w2: number, w3: number, len: number): number {
    const h = AddrTable.hash(w0, w1, w2, w3, len);
    const mask = this.mask;
    const slots = this.slots;
    const words = this.words;
    let i = h & mask;
    for (;;) {
      const id = slots[i]!;
      if (id < 0) return -1;
      const b = id << 2;
      if (this.hashes[id] === h && words[b] === w0 && words[b + 1] === w1 && words[b + 2] === w2 && words[b + 3] === w3 && this.lens[id] === len) {
        return id;
      }
      i = (i + 1) & mask;
    }
  }

  /** The id of the address at byte offset `off` of the view (len 4 or 16), or -1. Allocates nothing. */
  lookupView(dv: DataView, off: number, len: number): number {
    if (len === 4) return this.lookupWords(dv.getInt32(off), 0, 0, 0, 4);
    return this.lookupWords(dv.getInt32(off), dv.getInt32(off + 4), dv.getInt32(off + 8), dv.getInt32(off + 12), 16);
  }

  /** The id of the address at data[off, off+len), or -1. Allocates nothing. */
  lookup(data: Uint8Array, off: number, len: number): number {
    if (len === 4) return this.lookupWords(word(data, off), 0, 0, 0, 4);
    return this.lookupWords(word(data, off), word(data, off + 4), word(data, off + 8), word(data, off + 12), 16);
  }

  /** The id of the address, adding it when new. */
  intern(data: Uint8Array, off: number, len: number): number {
    const found = this.lookup(data, off, len);
    if (found >= 0) return found;
    if ((this.n + 1) * 2 > this.slots.length) this.grow();
    const id = this.n++;
    const b = id << 2;
    const w = this.words;
    w[b] = word(data, off);
    w[b + 1] = len === 16 ? word(data, off + 4) : 0;
    w[b + 2] = len === 16 ? word(data, off + 8) : 0;
    w[b + 3] = len === 16 ? word(data, off + 12) : 0;
    this.lens[id] = len;
    const h = AddrTable.hash(w[b]!, w[b + 1]!, w[b + 2]!, w[b + 3]!, len);
    this.hashes[id] = h;
    const text = addrText(data, off, len);
    this.texts.push(text);
    // internText of the text made here finds it without parsing it back (a shared table:
    // the correlator looks up the addresses of events its fast path decoded into this table)
    this.byText.set(text, id);
    this.place(id, h);
    return id;
  }

  private readonly byText = new Map<string, number>();

  /** The id of an address given as text (canonical or not), adding it when new. Cached by text. */
  internText(s: string): number {
    let id = this.byText.get(s);
    if (id === undefined) {
      const b = parseAddr(s);
      id = this.intern(b, 0, b.length);
      this.byText.set(s, id);
    }
    return id;
  }

  text(id: number): string {
    return this.texts[id]!;
  }

  /** Octet i (0 to 15) of an address. */
  private octet(id: number, i: number): number {
    return (this.words[(id << 2) + (i >>> 2)]! >>> (24 - 8 * (i & 3))) & 0xff;
  }

  /** 32-bit word w (0 to 3) of an address, as an int32 (as the words of a frame read big-endian). */
  word(id: number, w: number): number {
    return this.words[(id << 2) + w]!;
  }

  /** hashBits of the first `bits` bits of an address (the same value as over its octets). */
  hashBits(id: number, bits: number): number {
    let h = 0x811c9dc5;
    const full = bits >>> 3;
    for (let i = 0; i < full; i++) h = Math.imul(h ^ this.octet(id, i), 0x01000193);
    const rem = bits & 7;
    if (rem) h = Math.imul(h ^ (this.octet(id, full) & (0xff << (8 - rem)) & 0xff), 0x01000193);
    return h | 0;
  }

  /** True when the first `bits` bits of an address equal those at data[off..]. */
  prefixEquals(id: number, data: Uint8Array, off: number, bits: number): boolean {
    const full = bits >>> 3;
    for (let i = 0; i < full; i++) if (this.octet(id, i) !== data[off + i]) return false;
    const rem = bits & 7;
    if (rem) {
      const m = (0xff << (8 - rem)) & 0xff;
      if ((this.octet(id, full) & m) !== (data[off + full]! & m)) return false;
    }
    return true;
  }

  /** An IPv4 address as an unsigned number (as ipv4Number). */
  ipv4(id: number): number {
    return this.words[id << 2]! >>> 0;
  }

  private place(id: number, h: number): void {
    let i = h & this.mask;
    while (this.slots[i]! >= 0) i = (i + 1) & this.mask;
    this.slots[i] = id;
  }

  private grow(): void {
    const cap = this.slots.length * 2;
    this.slots = new Int32Array(cap).fill(-1);
    this.mask = cap - 1;
    const nw = new Int32Array(4 * (cap >>> 1));
    nw.set(this.words);
    this.words = nw;
    const nl = new Uint8Array(cap >>> 1);
    nl.set(this.lens);
    this.lens = nl;
    const nh = new Int32Array(cap >>> 1);
    nh.set(this.hashes);
    this.hashes = nh;
    for (let id = 0; id < this.n; id++) this.place(id, this.hashes[id]!);
  }
}

/** Big-endian 32-bit word at data[off] as an int32. */
function word(data: Uint8Array, off: number): number {
  return (data[off]! << 24) | (data[off + 1]! << 16) | (data[off + 2]! << 8) | data[off + 3]!;
}

/**
 * (outer source, outer destination) address pair → a number (the correlator's endpoint-pair
 * code), read straight from a DataView over the frame: the first step of attributing a data
 * frame in one probe, instead of two address lookups and a pair lookup. Entries are only added
 * (a pair's code never changes once made). Slot i holds, from 12·i: the address length (0 =
 * empty), the value, then the source's four words and the destination's (IPv4: one word each,
 * the others 0).
 */
export class EndpointPairs {
  private t: Int32Array;
  private mask: number;
  private n = 0;

  constructor(capacity = 64) {
    const cap = slotCount(capacity);
    this.t = new Int32Array(cap * PAIR_STRIDE);
    this.mask = cap - 1;
  }

  private static hash(s0: number, s1: number, s2: number, s3: number, d0: number, d1: number, d2: number, d3: number): number {
    // source and destination rotated differently: the two directions of a pair hash apart
    let h = s0 ^ ((s1 << 7) | (s1 >>> 25)) ^ ((s2 << 13) | (s2 >>> 19)) ^ ((s3 << 19) | (s3 >>> 13));
    h = Math.imul(h ^ (h >>> 16), 0x85ebca6b);
    h ^= d0 ^ ((d1 << 5) | (d1 >>> 27)) ^ ((d2 << 11) | (d2 >>> 21)) ^ ((d3 << 23) | (d3 >>> 9));
    h = Math.imul(h ^ (h >>> 13), 0xc2b2ae35);
    return h ^ (h >>> 16);
  }

  /** The value for the addresses at `src` and `dst` (each `len` octets, 4 or 16) of the view, or -1. */
  get(dv: DataView, src: number, dst: number, len: number): number {
    let s0: number, s1: number, s2: number, s3: number, d0: number, d1: number, d2: number, d3: number;
    if (len === 4) {
      s0 = dv.getInt32(src);
      d0 = dv.getInt32(dst);
      s1 = s2 = s3 = d1 = d2 = d3 = 0;
    } else {
      s0 = dv.getInt32(src);
      s1 = dv.getInt32(src + 4);
      s2 = dv.getInt32(src + 8);
      s3 = dv.getInt32(src + 12);
      d0 = dv.getInt32(dst);
      d1 = dv.getInt32(dst + 4);
      d2 = dv.getInt32(dst + 8);
      d3 = dv.getInt32(dst + 12);
    }
    const t = this.t;
    const mask = this.mask;
    let i = EndpointPairs.hash(s0, s1, s2, s3, d0, d1, d2, d3) & mask;
    for (;;) {
      const o = i * PAIR_STRIDE;
      const l = t[o]!;
      if (l === 0) return -1;
      if (
        l === len && t[o + 2] === s0 && t[o + 6] === d0 && t[o + 3] === s1 && t[o + 7] === d1 &&
        t[o + 4] === s2 && t[o + 8] === d2 && t[o + 5] === s3 && t[o + 9] === d3
      ) return t[o + 1]!;
      i = (i + 1) & mask;
    }
  }

  /** Adds the addresses at `src` and `dst` of the view with value `v` (they must not be in the table yet). */
  add(dv: DataView, src: number, dst: number, len: number, v: number): void {
    const w = new Int32Array(8);
    const words = len === 4 ? 1 : 4;
    for (let k = 0; k < words; k++) {
      w[k] = dv.getInt32(src + 4 * k);
      w[4 + k] = dv.getInt32(dst + 4 * k);
    }
    this.place(len, v, w);
  }

  private place(len: number, v: number, w: Int32Array): void {
    if ((this.n + 1) * 2 > this.mask + 1) this.grow();
    const t = this.t;
    let i = EndpointPairs.hash(w[0]!, w[1]!, w[2]!, w[3]!, w[4]!, w[5]!, w[6]!, w[7]!) & this.mask;
    while (t[i * PAIR_STRIDE] !== 0) i = (i + 1) & this.mask;
    const o = i * PAIR_STRIDE;
    t[o] = len;
    t[o + 1] = v;
    t.set(w, o + 2);
    this.n++;
  }

  private grow(): void {
    const old = this.t;
    const cap = (this.mask + 1) * 2;
    this.t = new Int32Array(cap * PAIR_STRIDE);
    this.mask = cap - 1;
    this.n = 0;
    for (let o = 0; o < old.length; o += PAIR_STRIDE) if (old[o] !== 0) this.place(old[o]!, old[o + 1]!, old.subarray(o + 2, o + 10));
  }
}

const PAIR_STRIDE = 12;
