/**
 * A growable byte buffer for building text without allocating strings per frame. Summary
 * columns are built here and copied straight into the output; `toString()` is for slow paths.
 */
const HEX = '0123456789abcdef';
const decoder = new TextDecoder();
const encoder = new TextEncoder();

export class TextBuf {
  buf: Uint8Array;
  len = 0;
  constructor(capacity = 256) {
    this.buf = new Uint8Array(capacity);
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
    this.grow(n);
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
    const enc = encoder.encode(s);
    this.grow(enc.length);
    this.buf.set(enc, this.len);
    this.len += enc.length;
    return this;
  }
  byte(c: number): this {
    this.grow(1);
    this.buf[this.len++] = c;
    return this;
  }
  /** Appends raw bytes (already text). */
  bytes(src: Uint8Array, start: number, end: number): this {
    const n = end - start;
    this.grow(n);
    this.buf.set(src.subarray(start, end), this.len);
    this.len += n;
    return this;
  }
  append(other: TextBuf): this {
    return this.bytes(other.buf, 0, other.len);
  }
  /** Unsigned decimal (integers up to 2^53). */
  dec(v: number): this {
    if (v < 0) {
      this.byte(45);
      v = -v;
    }
    if (v < 10) return this.byte(48 + v);
    this.grow(20);
    const b = this.buf;
    const start = this.len;
    let p = start;
    while (v > 0) {
      const q = Math.floor(v / 10);
      b[p++] = 48 + (v - q * 10);
      v = q;
    }
    // reverse in place
    for (let i = start, j = p - 1; i < j; i++, j--) {
      const t = b[i]!;
      b[i] = b[j]!;
      b[j] = t;
    }
    this.len = p;
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
    this.grow(Math.max(width, 16));
    const b = this.buf;
    let digits = 1;
    for (let x = v; x >= 16; x = Math.floor(x / 16)) digits++;
    const n = Math.max(digits, width);
    let p = this.len + n - 1;
    for (let i = 0; i < n; i++) {
      b[p--] = HEX.charCodeAt(v % 16);
      v = Math.floor(v / 16);
    }
    this.len += n;
    return this;
  }
  /** "0x" + hex. */
  hex0x(v: number, width: number): this {
    this.byte(48).byte(120);
    return this.hex(v, width);
  }
  /** Dotted quad from 4 bytes at `off`. */
  ipv4(src: Uint8Array, off: number): this {
    this.dec(src[off]!).byte(46).dec(src[off + 1]!).byte(46).dec(src[off + 2]!).byte(46).dec(src[off + 3]!);
    return this;
  }
  /** RFC 5952 text form of the 16-byte IPv6 address at `off` (as Wireshark prints it). */
  ipv6(src: Uint8Array, off: number): this {
    // find the longest run (>= 2) of zero 16-bit groups; first one wins on ties
    let bestStart = -1;
    let bestLen = 0;
    for (let i = 0; i < 8; ) {
      if (src[off + 2 * i] === 0 && src[off + 2 * i + 1] === 0) {
        let j = i;
        while (j < 8 && src[off + 2 * j] === 0 && src[off + 2 * j + 1] === 0) j++;
        if (j - i > bestLen) {
          bestLen = j - i;
          bestStart = i;
        }
        i = j;
      } else i++;
    }
    if (bestLen < 2) bestStart = -1;
    // IPv4-mapped (::ffff:a.b.c.d) is printed with a dotted tail
    const mapped = bestStart === 0 && bestLen === 5 && src[off + 10] === 0xff && src[off + 11] === 0xff;
    for (let i = 0; i < 8; i++) {
      if (i === bestStart) {
        this.byte(58).byte(58);
        i += bestLen - 1;
        if (mapped) return this.str('ffff:').ipv4(src, off + 12);
        continue;
      }
      if (i > 0 && i !== bestStart + bestLen) this.byte(58);
      const g = (src[off + 2 * i]! << 8) | src[off + 2 * i + 1]!;
      this.hex(g, 1);
    }
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
