/**
 * tshark's hex and ASCII dump (`-x`): "0000  02 00 … 00   ..............`." — offset (4 hex
 * digits, more for large buffers), two spaces, 16 bytes as "xx " padded to 48 columns, two
 * spaces, printable ASCII (0x20–0x7e) or '.'.
 */
import type { TextBuf } from '../engine/textbuf.js';
import { reserve } from './buf.js';

const HEX = new TextEncoder().encode('0123456789abcdef');
/** Per byte value: its high hex digit, its low one, both (little-endian pair), its ASCII column character. */
const HI = new Uint8Array(256);
const LO = new Uint8Array(256);
const PAIR = new Uint16Array(256);
const ASCII = new Uint8Array(256);
for (let c = 0; c < 256; c++) {
  HI[c] = HEX[c >>> 4]!;
  LO[c] = HEX[c & 15]!;
  PAIR[c] = HI[c]! | (LO[c]! << 8);
  ASCII[c] = c >= 0x20 && c < 0x7f ? c : 46;
}

export function writeHexDump(out: TextBuf, data: Uint8Array, start: number, length: number): void {
  const digits = length > 0x1000000 ? 8 : length > 0x10000 ? 6 : 4;
  const lines = Math.ceil(length / 16);
  const need = lines * (digits + 2 + 48 + 2 + 16 + 1);
  if (out.len + need > out.buf.length) reserve(out, need);
  const b = out.buf;
  const dv = out.view();
  let o = out.len;
  // whole lines: four bytes of input at a time, as three words of "xx " and one of ASCII
  const whole = length - (length & 15);
  let off = 0;
  for (; off < whole; off += 16) {
    for (let k = digits - 1; k >= 0; k--) b[o++] = HEX[(off >>> (4 * k)) & 15]!;
    b[o] = 32;
    b[o + 1] = 32;
    o += 2;
    const a = o + 50; // the ASCII column
    let s = start + off;
    for (let q = 0; q < 16; q += 4, s += 4, o += 12) {
      const c0 = data[s]!;
      const c1 = data[s + 1]!;
      const c2 = data[s + 2]!;
      const c3 = data[s + 3]!;
      dv.setUint32(o, PAIR[c0]! | 0x200000 | (HI[c1]! << 24), true);
      dv.setUint32(o + 4, LO[c1]! | 0x2000 | (PAIR[c2]! << 16), true);
      dv.setUint32(o + 8, 32 | (PAIR[c3]! << 8) | 0x20000000, true);
      dv.setUint32(a + q, ASCII[c0]! | (ASCII[c1]! << 8) | (ASCII[c2]! << 16) | (ASCII[c3]! << 24), true);
    }
    b[o] = 32;
    b[o + 1] = 32;
    o = a + 16;
    b[o++] = 10;
  }
  if (off < length) {
    // the last, partial line
    for (let k = digits - 1; k >= 0; k--) b[o++] = HEX[(off >>> (4 * k)) & 15]!;
    b[o++] = 32;
    b[o++] = 32;
    const n = length - off;
    let a = o + 50;
    const s = start + off;
    for (let i = 0; i < n; i++) {
      const c = data[s + i]!;
      b[o] = HI[c]!;
      b[o + 1] = LO[c]!;
      b[o + 2] = 32;
      o += 3;
      b[a++] = ASCII[c]!;
    }
    for (let i = n; i < 16; i++) {
      b[o] = 32;
      b[o + 1] = 32;
      b[o + 2] = 32;
      o += 3;
    }
    b[o] = 32;
    b[o + 1] = 32;
    o = a;
    b[o++] = 10;
  }
  out.len = o;
}
