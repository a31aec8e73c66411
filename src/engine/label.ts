/**
 * Item labels ("Internet Protocol Version 4, Src: 10.0.0.1, Dst: 10.0.0.2"), the text tshark
 * shows on an item's line in -V (and prints for a protocol in `-T fields`). An item declares one
 * with FieldSpec.label, which writes the line straight into the output buffer; it is built only
 * when printed, from the frame's bytes at the node (never from child nodes, which a want mask
 * may have left out).
 */
import type { Packet } from './packet.js';
import { TextBuf } from './textbuf.js';

/** A label writer (FieldSpec.label). */
export type LabelWriter = (p: Packet, node: number, out: TextBuf) => void;

/** The label as a string (FieldSpec.compute of a protocol, for `-T fields`). */
export function labelText(write: LabelWriter): (p: Packet, node: number) => string {
  return (p, node) => {
    const b = buf.clear();
    write(p, node, b);
    return b.toString();
  };
}

const buf = new TextBuf(256);

/** A cleared scratch buffer for one label (read it with toString() before the next call). */
export function labelBuf(): TextBuf {
  return buf.clear();
}

/** True when `n` bytes at frame offset `off` were captured (a label reads nothing past them). */
export function captured(p: Packet, off: number, n: number): boolean {
  return off >= 0 && off + n <= p.caplen;
}
