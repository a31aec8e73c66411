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

/**
 * The key of a line: bytes that, with the field and the node's context (generated, level),
 * determine everything a label writer or compute() shows for a node. Appends them to `key` and
 * returns true, or returns false when the line must be built (the bytes are not all captured,
 * the node has a string of its own, …). The `-V` writer keeps lines by key and copies them on
 * later frames (src/output/format.ts), so a key that leaves out something the function reads
 * prints stale text: list every byte and value it reads.
 */
export type LineKey = (p: Packet, node: number, key: LineKeyBuf) => boolean;

/** Scratch for a line key (word-aligned: the writer hashes and compares it four bytes at a time). */
export class LineKeyBuf {
  readonly buf = new Uint8Array(1024);
  readonly words = new Int32Array(this.buf.buffer);
  private readonly f64 = new Float64Array(1);
  private readonly f64b = new Uint8Array(this.f64.buffer);
  len = 0;
  /** Appends d[from, from + n) (false, appending nothing, when the key would pass 1000 bytes). */
  bytes(d: Uint8Array, from: number, n: number): boolean {
    if (this.len + n > 1000) return false;
    const b = this.buf;
    let o = this.len;
    for (let i = 0; i < n; i++) b[o++] = d[from + i]!;
    this.len = o;
    return true;
  }
  byte(v: number): void {
    if (this.len < 1000) this.buf[this.len++] = v;
  }
  /** Appends the 8 bytes of a double (exact: the same bits give the same key). */
  num(v: number): void {
    if (this.len + 8 > 1000) return;
    this.f64[0] = v;
    const s = this.f64b;
    const b = this.buf;
    const o = this.len;
    for (let i = 0; i < 8; i++) b[o + i] = s[i]!;
    this.len = o + 8;
  }
}

const lineKeys = new Map<object, LineKey>();

/**
 * Declares that what `fn` (a FieldSpec.label writer, or the compute() of a protocol or string
 * field) shows for a node is determined by `key`; returns `fn`.
 */
export function keyedLine<F extends object>(fn: F, key: LineKey): F {
  lineKeys.set(fn, key);
  return fn;
}

/** The key declared for a label writer or compute() with keyedLine, if any. */
export function lineKeyOf(fn: object | undefined): LineKey | undefined {
  return fn === undefined ? undefined : lineKeys.get(fn);
}

/** What a standard key holds, readable by the writer (which then compares it without calling the key). */
export interface KeyShape {
  /**
   * 'bytes' (bytesKey): `count` bytes at `start` from the node's offset, the node's first `need`
   * bytes captured; 'node' (nodeKey): the node's bytes, at most `count`; 'num' (numKey): the
   * node's stored number; 'stack' (stackKey): the frame's protocol stack.
   */
  readonly kind: 'bytes' | 'node' | 'num' | 'stack';
  readonly start: number;
  readonly count: number;
  readonly need: number;
}

const shapes = new Map<LineKey, KeyShape>();

/** The shape of a key made by bytesKey, nodeKey, numKey or stackKey (undefined for other keys). */
export function keyShape(key: LineKey): KeyShape | undefined {
  return shapes.get(key);
}

/**
 * A key of `count` bytes at `start` from the node's offset, for functions that read only those
 * bytes and check that the first `need` bytes of the node (default start + count) are captured.
 */
export function bytesKey(start: number, count: number, need = start + count): LineKey {
  const key: LineKey = (p, node, k) => {
    const off = p.tree.off[node]!;
    if (!captured(p, off, need) || !captured(p, off + start, count)) return false;
    return k.bytes(p.data, p.base + off + start, count);
  };
  shapes.set(key, { kind: 'bytes', start, count, need });
  return key;
}

/**
 * A key of the node's own bytes [off, off + len), for functions that read nothing else (and
 * whose text is fixed when the node is not all captured): at most `max` bytes (longer nodes, and
 * nodes not all captured, are not kept).
 */
export function nodeKey(max: number): LineKey {
  const key: LineKey = (p, node, k) => {
    const off = p.tree.off[node]!;
    const len = p.tree.len[node]!;
    if (len < 0 || len > max || !captured(p, off, len)) return false;
    return k.bytes(p.data, p.base + off, len);
  };
  shapes.set(key, { kind: 'node', start: 0, count: max, need: 0 });
  return key;
}

/** The key of functions that read only the node's stored number (p.tree.num), and its field. */
export const numKey: LineKey = (p, node, k) => {
  k.num(p.tree.num[node]!);
  return true;
};
shapes.set(numKey, { kind: 'num', start: 0, count: 0, need: 0 });

/** The key of functions that read only the frame's protocol stack (p.protos, frame.protocols). */
export const stackKey: LineKey = (p, _node, k) => {
  for (let i = 0; i < p.nprotos; i++) k.num(p.protos[i]!);
  return true;
};
shapes.set(stackKey, { kind: 'stack', start: 0, count: 0, need: 0 });
