/** Format detection by content: gzip, the four pcap magics, pcapng. */
import { GretoolError } from '../errors.js';

export type Detected =
  | { format: 'pcap'; littleEndian: boolean; nanosecond: boolean }
  | { format: 'pcapng' };

/** True when the bytes start a gzip stream (1f 8b). */
export function isGzip(b: Uint8Array, n: number): boolean {
  return n >= 2 && b[0] === 0x1f && b[1] === 0x8b;
}

/**
 * Identifies the capture format from its first bytes (`n` of them are valid). Throws a
 * CAPTURE_FORMAT error that shows the first bytes when the input is not a capture.
 */
export function detectFormat(b: Uint8Array, n: number, display: string): Detected {
  if (n >= 4) {
    const m = ((b[0]! << 24) | (b[1]! << 16) | (b[2]! << 8) | b[3]!) >>> 0;
    switch (m) {
      case 0xa1b2c3d4:
        return { format: 'pcap', littleEndian: false, nanosecond: false };
      case 0xd4c3b2a1:
        return { format: 'pcap', littleEndian: true, nanosecond: false };
      case 0xa1b23c4d:
        return { format: 'pcap', littleEndian: false, nanosecond: true };
      case 0x4d3cb2a1:
        return { format: 'pcap', littleEndian: true, nanosecond: true };
      case 0x0a0d0d0a:
        return { format: 'pcapng' };
      case 0xa1b2cd34:
      case 0x34cdb2a1:
        throw new GretoolError('CAPTURE_FORMAT', `${display}: modified (Kuznetzov) pcap format is not supported; convert it with editcap -F pcap`);
    }
  }
  if (n === 0) throw new GretoolError('CAPTURE_FORMAT', `${display}: empty file`);
  throw new GretoolError('CAPTURE_FORMAT', `${display}: not a pcap or pcapng capture (${n < 4 ? `only ${n} byte${n === 1 ? '' : 's'}: ` : 'starts with '}${describeBytes(b, n)})`);
}

/** The first bytes as hex plus their printable ASCII: `47 45 54 20 |GET |`. */
export function describeBytes(b: Uint8Array, n: number, max = 16): string {
  const k = Math.min(n, max);
  let hex = '';
  let text = '';
  for (let i = 0; i < k; i++) {
    const c = b[i]!;
    hex += (i ? ' ' : '') + c.toString(16).padStart(2, '0');
    text += c >= 0x20 && c < 0x7f ? String.fromCharCode(c) : '.';
  }
  return `${hex}${n > k ? ' …' : ''} |${text}|`;
}
