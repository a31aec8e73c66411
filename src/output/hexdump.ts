/**
 * tshark's hex and ASCII dump (`-x`): "0000  02 00 … 00   ..............`." — offset (4 hex
 * digits, more for large buffers), two spaces, 16 bytes as "xx " padded to 48 columns, two
 * spaces, printable ASCII (0x20–0x7e) or '.'.
 */
import type { TextBuf } from '../engine/textbuf.js';
import { reserve } from './buf.js';

const HEX = new TextEncoder().encode('0123456789abcdef');

export function writeHexDump(out: TextBuf, data: Uint8Array, start: number, length: number): void {
  const digits = length > 0x1000000 ? 8 : length > 0x10000 ? 6 : 4;
  const lines = Math.ceil(length / 16);
  const need = lines * (digits + 2 + 48 + 2 + 16 + 1);
  if (out.len + need > out.buf.length) reserve(out, need);
  const b = out.buf;
  let o = out.len;
  for (let off = 0; off < length; off += 16) {
    for (let k = digits - 1; k >= 0; k--) b[o++] = HEX[(off >>> (4 * k)) & 15]!;
    b[o++] = 32;
    b[o++] = 32;
    const n = length - off < 16 ? length - off : 16;
    for (let i = 0; i < n; i++) {
      const c = data[start + off + i]!;
      b[o++] = HEX[c >>> 4]!;
      b[o++] = HEX[c & 15]!;
      b[o++] = 32;
    }
    for (let i = n; i < 16; i++) {
      b[o++] = 32;
      b[o++] = 32;
      b[o++] = 32;
    }
    b[o++] = 32;
    b[o++] = 32;
    for (let i = 0; i < n; i++) {
      const c = data[start + off + i]!;
      b[o++] = c >= 0x20 && c < 0x7f ? c : 46;
    }
    b[o++] = 10;
  }
  out.len = o;
}
