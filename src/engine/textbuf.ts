/**
 * A growable byte buffer for building text without allocating strings per frame. Summary
 * columns are built here and copied straight into the output; `toString()` is for slow paths.
 */
const HEX = '0123456789abcdef';
const HEXB = Uint8Array.from(HEX, (c) => c.charCodeAt(0));
/** "00".."99" as bytes: DIGITS2[2n], DIGITS2[2n + 1] are the digits of n. */
const DIGITS2 = new Uint8Array(200);
for (let n = 0; n < 100; n++) {
  DIGITS2[2 * n] = 48 + Math.floor(n / 10);
  DIGITS2[2 * n + 1] = 48 + (n % 10);
}
/** Decimal text of 0..255: [digit count, digits...] per value. */
const DEC3 = new Uint8Array(1024);
for (let v = 0; v < 256; v++) {
  const s = String(v);
  DEC3[v * 4] = s.length;
  for (let i = 0; i < s.length; i++) DEC3[v * 4 + 1 + i] = s.charCodeAt(i);
}
/** Scratch: the 16-bit groups of the IPv6 address being formatted. */
const GROUPS = new Int32Array(8);
/**
 * For each pattern of zero groups of an IPv6 address (bit i: group i is zero), the longest run
 * of at least two zero groups, the first one on ties (RFC 5952 §4.2): (start << 4) | length, or
 * 0 when there is none.
 */
const ZERO_RUN = new Uint8Array(256);
for (let m = 0; m < 256; m++) {
  let bestStart = -1;
  let bestLen = 0;
  for (let i = 0; i < 8; ) {
    if (m & (1 << i)) {
      let j = i;
      while (j < 8 && m & (1 << j)) j++;
      if (j - i > bestLen) {
        bestLen = j - i;
        bestStart = i;
      }
      i = j;
    } else i++;
  }
  ZERO_RUN[m] = bestLen >= 2 ? (bestStart << 4) | bestLen : 0;
}
const decoder = new TextDecoder();
const encoder = new TextEncoder();

/** Writes the decimal text of a byte value at b[p]; returns the new offset. */
function octet(b: Uint8Array, p: number, v: number): number {
  const t = v << 2;
  const n = DEC3[t]!;
  b[p] = DEC3[t + 1]!;
  if (n > 1) {
    b[p + 1] = DEC3[t + 2]!;
    if (n > 2) b[p + 2] = DEC3[t + 3]!;
  }
  return p + n;
}

/** Number of decimal digits of x (0 <= x < 2^31). */
export function decDigits(x: number): number {
  return x < 10 ? 1 : x < 100 ? 2 : x < 1000 ? 3 : x < 10000 ? 4 : x < 100000 ? 5 : x < 1000000 ? 6 : x < 10000000 ? 7 : x < 100000000 ? 8 : x < 1000000000 ? 9 : 10;
}

/** Writes the decimal text of x (0 <= x < 2^31) at b[p]; returns the new offset. */
export function int32Dec(b: Uint8Array, p: number, x: number): number {
  // two digits per step from a table
  const digits = decDigits(x);
  let i = p + digits;
  while (x >= 100) {
    const q = (x / 100) | 0;
    const r = (x - q * 100) << 1;
    b[--i] = DIGITS2[r + 1]!;
    b[--i] = DIGITS2[r]!;
    x = q;
  }
  if (x >= 10) {
    b[--i] = DIGITS2[(x << 1) + 1]!;
    b[--i] = DIGITS2[x << 1]!;
  } else b[--i] = 48 + x;
  return p + digits;
}

/**
 * Writes x (0 <= x < 10^digits, digits <= 9) as exactly `digits` decimal digits, zero-padded on
 * the left (a fraction's digits), at b[p]; returns the new offset.
 */
export function fixedDec(b: Uint8Array, p: number, x: number, digits: number): number {
  let i = p + digits;
  while (i - p >= 2) {
    const q = (x / 100) | 0;
    const r = (x - q * 100) << 1;
    b[--i] = DIGITS2[r + 1]!;
    b[--i] = DIGITS2[r]!;
    x = q;
  }
  if (i > p) b[--i] = 48 + x;
  return p + digits;
}

/** Writes x (an unsigned 32-bit value) in lower-case hex, zero-padded to `width` digits, at b[p]; returns the new offset. */
function hex32(b: Uint8Array, p: number, x: number, width: number): number {
  const digits = x === 0 ? 1 : (35 - Math.clz32(x)) >>> 2;
  const n = digits > width ? digits : width;
  let i = p + n;
  for (; x !== 0; x >>>= 4) b[--i] = HEXB[x & 15]!;
  while (i > p) b[--i] = 48;
  return p + n;
}

export class TextBuf {
  buf: Uint8Array;
  len = 0;
  /** A DataView over `buf` (see `view()`), and the buffer it was made for. */
  private dv: DataView;
  private dvOf: Uint8Array;
  constructor(capacity = 256) {
    this.buf = new Uint8Array(capacity);
    this.dvOf = this.buf;
    this.dv = new DataView(this.buf.buffer, this.buf.byteOffset, this.buf.byteLength);
  }
  /**
   * A DataView over `buf`, for copying four bytes at a time (see `copyText`). `buf` is public and
   * replaced when it grows, so the view is made again whenever it no longer belongs to `buf`.
   */
  view(): DataView {
    const b = this.buf;
    if (this.dvOf !== b) {
      this.dvOf = b;
      this.dv = new DataView(b.buffer, b.byteOffset, b.byteLength);
    }
    return this.dv;
  }
  clear(): this {
    this.len = 0;
    return this;
  }
  private grow(n: number): void {
    if (this.len + n <= this.buf.length) return;
    let cap = this.buf.length * 2;
    while (cap < this.len + n) cap *= 2;
    const b = new Uint8Array(cap);
    b.set(this.buf.subarray(0, this.len));
    this.buf = b;
  }
  /** Appends a string (ASCII fast path; other characters as UTF-8). */
  str(s: string): this {
    const n = s.length;
    if (this.len + n > this.buf.length) this.grow(n);
    const b = this.buf;
    let p = this.len;
    for (let i = 0; i < n; i++) {
      const c = s.charCodeAt(i);
      if (c >= 0x80) {
        this.len = p;
        return this.utf8(s.slice(i));
      }
      b[p++] = c;
    }
    this.len = p;
    return this;
  }
  private utf8(s: string): this {
    // at most 3 bytes per UTF-16 unit; encoded in place (no intermediate array)
    this.grow(3 * s.length);
    this.len += encoder.encodeInto(s, this.buf.subarray(this.len)).written;
    return this;
  }
  byte(c: number): this {
    if (this.len >= this.buf.length) this.grow(1);
    this.buf[this.len++] = c;
    return this;
  }
  /** Appends all of `src` (pre-encoded text, e.g. a constant built once with `TextBuf.encode`). */
  lit(src: Uint8Array): this {
    const n = src.length;
    if (this.len + n > this.buf.length) this.grow(n);
    const b = this.buf;
    const p = this.len;
    for (let i = 0; i < n; i++) b[p + i] = src[i]!;
    this.len = p + n;
    return this;
  }
  /** Appends octets src[start, end) as printable ASCII: 0x20-0x7e as they are, '.' for the others. */
  printable(src: Uint8Array, start: number, end: number): this {
    const n = end - start;
    if (n <= 0) return this;
    if (this.len + n > this.buf.length) this.grow(n);
    const b = this.buf;
    const p = this.len - start;
    for (let i = start; i < end; i++) {
      const c = src[i]!;
      b[p + i] = c >= 0x20 && c < 0x7f ? c : 0x2e;
    }
    this.len += n;
    return this;
  }
  /** UTF-8 bytes of `s` (for `lit`). */
  static encode(s: string): Uint8Array {
    return encoder.encode(s);
  }
  /** Appends raw bytes (already text). */
  bytes(src: Uint8Array, start: number, end: number): this {
    const n = end - start;
    if (this.len + n > this.buf.length) this.grow(n);
    this.buf.set(src.subarray(start, end), this.len);
    this.len += n;
    return this;
  }
  append(other: TextBuf): this {
    return this.bytes(other.buf, 0, other.len);
  }
  /** Decimal of an integer (up to 2^53 in magnitude). */
  dec(v: number): this {
    if (v < 0) {
      this.byte(45);
      v = -v;
    }
    if (this.len + 20 > this.buf.length) this.grow(20);
    const b = this.buf;
    const p = this.len;
    if (v < 10) {
      b[p] = 48 + v;
      this.len = p + 1;
      return this;
    }
    if (v < 2147483648) {
      this.len = int32Dec(b, p, v | 0);
      return this;
    }
    if (v < 9007199254740992 && v === Math.floor(v)) {
      // (e.g. TCP sequence numbers) the digits above the last nine, then those nine, zero-padded
      let hi = Math.floor(v / 1e9);
      let lo = v - hi * 1e9; // exact: integers below 2^53
      if (lo < 0) {
        // (defensive: v / 1e9 rounded up to an integer; round-to-nearest does not do that below 2^53)
        hi--;
        lo += 1e9;
      }
      const q = int32Dec(b, p, hi);
      let i = q + 9;
      let x = lo;
      for (let k = 0; k < 4; k++) {
        const d = (x / 100) | 0;
        const r = (x - d * 100) << 1;
        b[--i] = DIGITS2[r + 1]!;
        b[--i] = DIGITS2[r]!;
        x = d;
      }
      b[--i] = 48 + x;
      this.len = q + 9;
      return this;
    }
    let q = p;
    while (v > 0) {
      const d = Math.floor(v / 10);
      b[q++] = 48 + (v - d * 10);
      v = d;
    }
    // reverse in place
    for (let i = p, k = q - 1; i < k; i++, k--) {
      const t = b[i]!;
      b[i] = b[k]!;
      b[k] = t;
    }
    this.len = q;
    return this;
  }
  /** Decimal padded with leading zeros to `width` digits. */
  decPad(v: number, width: number): this {
    let digits = 1;
    for (let x = v; x >= 10; x = Math.floor(x / 10)) digits++;
    for (let i = digits; i < width; i++) this.byte(48);
    return this.dec(v);
  }
  /** Lower-case hex of an unsigned value, zero-padded to `width` digits (no prefix). */
  hex(v: number, width: number): this {
    if (this.len + 16 + width > this.buf.length) this.grow(16 + width);
    if (v < 4294967296 && v >= 0) {
      this.len = hex32(this.buf, this.len, v >>> 0, width);
      return this;
    }
    const b = this.buf;
    let digits = 1;
    for (let x = v; x >= 16; x = Math.floor(x / 16)) digits++;
    const n = Math.max(digits, width);
    let p = this.len + n - 1;
    for (let i = 0; i < n; i++) {
      b[p--] = HEXB[v % 16]!;
      v = Math.floor(v / 16);
    }
    this.len += n;
    return this;
  }
  /** "0x" + hex. */
  hex0x(v: number, width: number): this {
    if (this.len + 18 + width > this.buf.length) this.grow(18 + width);
    const b = this.buf;
    const p = this.len;
    b[p] = 48;
    b[p + 1] = 120;
    if (v < 4294967296 && v >= 0) {
      this.len = hex32(b, p + 2, v >>> 0, width);
      return this;
    }
    this.len = p + 2;
    return this.hex(v, width);
  }
  /** Dotted quad from 4 bytes at `off`. */
  ipv4(src: Uint8Array, off: number): this {
    if (this.len + 16 > this.buf.length) this.grow(16);
    const b = this.buf;
    let p = octet(b, this.len, src[off]!);
    b[p++] = 46;
    p = octet(b, p, src[off + 1]!);
    b[p++] = 46;
    p = octet(b, p, src[off + 2]!);
    b[p++] = 46;
    this.len = octet(b, p, src[off + 3]!);
    return this;
  }
  /** RFC 5952 text form of the 16-byte IPv6 address at `off` (as Wireshark prints it). */
  ipv6(src: Uint8Array, off: number): this {
    // the eight 16-bit groups, and which of them are zero
    const g = GROUPS;
    let zeros = 0;
    for (let i = 0; i < 8; i++) {
      const v = (src[off + 2 * i]! << 8) | src[off + 2 * i + 1]!;
      g[i] = v;
      if (v === 0) zeros |= 1 << i;
    }
    // the longest run (>= 2) of zero groups, first one on ties: from a table over the 256 patterns
    const run = ZERO_RUN[zeros]!;
    const bestStart = run === 0 ? -1 : run >>> 4;
    const bestLen = run & 15;
    // IPv4-mapped (::ffff:a.b.c.d) is printed with a dotted tail
    if (bestStart === 0 && bestLen === 5 && g[5] === 0xffff) return this.str('::ffff:').ipv4(src, off + 12);
    // at most 8 groups of 4 digits and 7 colons
    if (this.len + 40 > this.buf.length) this.grow(40);
    const b = this.buf;
    let p = this.len;
    const runEnd = bestStart + bestLen;
    for (let i = 0; i < 8; i++) {
      if (i === bestStart) {
        b[p++] = 58;
        b[p++] = 58;
        i = runEnd - 1;
        continue;
      }
      if (i > 0 && i !== runEnd) b[p++] = 58;
      const v = g[i]!;
      // hex without leading zeros
      if (v >= 0x1000) b[p++] = HEXB[v >>> 12]!;
      if (v >= 0x100) b[p++] = HEXB[(v >>> 8) & 15]!;
      if (v >= 0x10) b[p++] = HEXB[(v >>> 4) & 15]!;
      b[p++] = HEXB[v & 15]!;
    }
    this.len = p;
    return this;
  }
  /** aa:bb:cc:dd:ee:ff */
  mac(src: Uint8Array, off: number): this {
    for (let i = 0; i < 6; i++) {
      if (i) this.byte(58);
      this.hex(src[off + i]!, 2);
    }
    return this;
  }
  /** Pads with spaces up to `width` characters written since `start`. */
  padTo(start: number, width: number): this {
    while (this.len - start < width) this.byte(32);
    return this;
  }
  toString(): string {
    return decoder.decode(this.buf.subarray(0, this.len));
  }
}

/**
 * Copies the text of `src` to b[o] (`dv` is a DataView over all of `b`, e.g. from `view()`);
 * returns the new offset. The caller has made room. Four bytes per step through DataViews: a
 * byte loop costs about four times as much, and `set(subarray())` allocates a view per call.
 */
export function copyText(b: Uint8Array, dv: DataView, o: number, src: TextBuf): number {
  const n = src.len;
  if (n < 4) {
    const s = src.buf;
    for (let i = 0; i < n; i++) b[o + i] = s[i]!;
    return o + n;
  }
  const sv = src.view();
  const n4 = n - 3;
  let i = 0;
  for (; i < n4; i += 4) dv.setInt32(o + i, sv.getInt32(i, true), true);
  // the last 1-3 bytes: one more word, overlapping bytes already written with the same values
  if (i < n) dv.setInt32(o + n - 4, sv.getInt32(n - 4, true), true);
  return o + n;
}
