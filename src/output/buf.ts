/** Small helpers for writing straight into a TextBuf's public buffer. */
import type { TextBuf } from '../engine/textbuf.js';

/** Makes room for `n` more bytes in `out` (TextBuf's buffer and length are public). */
export function reserve(out: TextBuf, n: number): void {
  let cap = out.buf.length * 2;
  while (cap < out.len + n) cap *= 2;
  const nb = new Uint8Array(cap);
  nb.set(out.buf.subarray(0, out.len));
  out.buf = nb;
}

const HEX = new TextEncoder().encode('0123456789abcdef');

/** Appends `n` spaces. */
export function putSpaces(out: TextBuf, n: number): void {
  if (out.len + n > out.buf.length) reserve(out, n);
  const b = out.buf;
  let o = out.len;
  for (let i = 0; i < n; i++) b[o++] = 32;
  out.len = o;
}

/** Appends bytes (already text). */
export function putBytes(out: TextBuf, src: Uint8Array): void {
  const n = src.length;
  if (out.len + n > out.buf.length) reserve(out, n);
  const b = out.buf;
  const o = out.len;
  if (n > 16) b.set(src, o);
  else for (let i = 0; i < n; i++) b[o + i] = src[i]!;
  out.len = o + n;
}

/** Appends an unsigned integer in decimal (any safe integer; negatives with a sign). */
export function putDec(out: TextBuf, v: number): void {
  if (!(v >= 0 && v < 4294967296) || v !== Math.floor(v)) {
    out.dec(v);
    return;
  }
  if (out.len + 10 > out.buf.length) reserve(out, 10);
  let x = v >>> 0;
  let digits = 1;
  for (let y = x; y >= 10; y = (y / 10) >>> 0) digits++;
  const b = out.buf;
  const end = out.len + digits;
  let i = end - 1;
  do {
    const q = (x / 10) >>> 0;
    b[i--] = 48 + (x - q * 10);
    x = q;
  } while (x > 0);
  out.len = end;
}

/** Appends "0x" and lower-case hex zero-padded to `width` digits. */
export function putHex0x(out: TextBuf, v: number, width: number): void {
  if (!(v >= 0 && v < 4294967296)) {
    out.hex0x(v, width);
    return;
  }
  if (out.len + 12 + width > out.buf.length) reserve(out, 12 + width);
  let digits = 1;
  for (let y = v >>> 4; y > 0; y >>>= 4) digits++;
  const n = digits > width ? digits : width;
  const b = out.buf;
  let o = out.len;
  b[o++] = 48;
  b[o++] = 120;
  let x = v >>> 0;
  for (let i = o + n - 1; i >= o; i--) {
    b[i] = HEX[x & 15]!;
    x >>>= 4;
  }
  out.len = o + n;
}

/** Appends two hex digits of a byte. */
export function putHexByte(out: TextBuf, v: number): void {
  if (out.len + 2 > out.buf.length) reserve(out, 2);
  const b = out.buf;
  b[out.len] = HEX[v >>> 4]!;
  b[out.len + 1] = HEX[v & 15]!;
  out.len += 2;
}

/** Appends the dotted quad of 4 bytes at d[i]. */
export function putIpv4(out: TextBuf, d: Uint8Array, i: number): void {
  if (out.len + 15 > out.buf.length) reserve(out, 15);
  const b = out.buf;
  let o = out.len;
  for (let k = 0; k < 4; k++) {
    if (k) b[o++] = 46;
    const x = d[i + k]!;
    if (x >= 100) {
      const h = (x / 100) | 0;
      b[o++] = 48 + h;
      const r = x - h * 100;
      const t = (r / 10) | 0;
      b[o++] = 48 + t;
      b[o++] = 48 + r - t * 10;
    } else if (x >= 10) {
      const t = (x / 10) | 0;
      b[o++] = 48 + t;
      b[o++] = 48 + x - t * 10;
    } else b[o++] = 48 + x;
  }
  out.len = o;
}

/** Appends aa:bb:cc:dd:ee:ff of 6 bytes at d[i]. */
export function putMac(out: TextBuf, d: Uint8Array, i: number): void {
  if (out.len + 17 > out.buf.length) reserve(out, 17);
  const b = out.buf;
  let o = out.len;
  for (let k = 0; k < 6; k++) {
    if (k) b[o++] = 58;
    const x = d[i + k]!;
    b[o++] = HEX[x >>> 4]!;
    b[o++] = HEX[x & 15]!;
  }
  out.len = o;
}

/** Appends `v` (0 ≤ v < 2^32) zero-padded to `width` decimal digits. */
export function putDecPad(out: TextBuf, v: number, width: number): void {
  if (!(v >= 0 && v < 4294967296)) {
    out.decPad(v, width);
    return;
  }
  let x = v >>> 0;
  let digits = 1;
  for (let y = x; y >= 10; y = (y / 10) >>> 0) digits++;
  const n = digits > width ? digits : width;
  if (out.len + n > out.buf.length) reserve(out, n);
  const b = out.buf;
  const end = out.len + n;
  for (let i = end - 1; i >= out.len; i--) {
    const q = (x / 10) >>> 0;
    b[i] = 48 + (x - q * 10);
    x = q;
  }
  out.len = end;
}
