/**
 * Protocol item labels ("Internet Protocol Version 4, Src: 10.0.0.1, Dst: 10.0.0.2"), the text
 * tshark shows on a protocol's line in -V and prints for the protocol in `-T fields`. A protocol
 * declares one with FieldSpec.compute; it is built only when printed, from the frame's bytes at
 * the protocol node (never from child nodes, which a want mask may have left out).
 */
import type { Packet } from './packet.js';
import { TextBuf } from './textbuf.js';

const buf = new TextBuf(256);

/** A cleared scratch buffer for one label (read it with toString() before the next call). */
export function labelBuf(): TextBuf {
  return buf.clear();
}

/** True when `n` bytes at frame offset `off` were captured (a label reads nothing past them). */
export function captured(p: Packet, off: number, n: number): boolean {
  return off >= 0 && off + n <= p.caplen;
}
