/** Reading node values out of the flat field table (decoded lazily from the frame's bytes). */
import { fieldDef } from './fields.js';
import { HAS_NUM, HAS_STR, TEXT_FIELD, type Packet } from './packet.js';

/** Unsigned big-endian integer of `len` (1..8) bytes at frame offset `off`. */
export function readUint(p: Packet, off: number, len: number): number {
  const d = p.data;
  let i = p.base + off;
  let v = 0;
  for (let k = 0; k < len; k++) v = v * 256 + d[i++]!;
  return v;
}

/**
 * The numeric value of a node: cached number, or the masked and shifted bytes. Booleans give
 * 0 or 1. Non-numeric nodes give NaN.
 */
export function nodeNumber(p: Packet, node: number): number {
  const t = p.tree;
  if (t.flags[node]! & HAS_NUM) return t.num[node]!;
  const fid = t.fid[node]!;
  if (fid === TEXT_FIELD) return NaN;
  const def = fieldDef(fid);
  const len = t.len[node]!;
  if (len <= 0 || len > 8 || t.off[node]! < 0) return NaN;
  switch (def.type) {
    case 'uint8': case 'uint16': case 'uint24': case 'uint32': case 'uint64': case 'framenum': {
      const raw = readUint(p, t.off[node]!, len);
      if (!def.mask) return raw;
      return Math.floor((raw % 2 ** (len * 8)) / 2 ** def.shift) & (def.mask / 2 ** def.shift);
    }
    case 'int8': case 'int16': case 'int32': {
      const raw = readUint(p, t.off[node]!, len);
      const bits = len * 8;
      return raw >= 2 ** (bits - 1) ? raw - 2 ** bits : raw;
    }
    case 'boolean': {
      const raw = readUint(p, t.off[node]!, len);
      return def.mask ? ((Math.floor(raw / 2 ** def.shift) & 1) !== 0 ? 1 : 0) : raw !== 0 ? 1 : 0;
    }
    default:
      return NaN;
  }
}

const utf8 = new TextDecoder();

/** The string value of a node (string fields and text labels), or undefined. */
export function nodeString(p: Packet, node: number): string | undefined {
  const t = p.tree;
  if (t.flags[node]! & HAS_STR) return t.strs[node];
  const def = t.fid[node]! >= 0 ? fieldDef(t.fid[node]!) : undefined;
  if (def?.type === 'string') {
    const off = t.off[node]!;
    return utf8.decode(p.data.subarray(p.base + off, p.base + off + t.len[node]!));
  }
  return undefined;
}

/** The bytes of a node (a view into the frame; valid only while the frame is current). */
export function nodeBytes(p: Packet, node: number): Uint8Array {
  const t = p.tree;
  const off = t.off[node]!;
  if (off < 0) return new Uint8Array(0);
  const end = Math.min(off + t.len[node]!, p.caplen);
  return p.data.subarray(p.base + off, p.base + Math.max(off, end));
}

/** Indexes of all nodes of field `fid` in the current frame, in tree order. */
export function findAll(p: Packet, fid: number, out: number[] = []): number[] {
  out.length = 0;
  const t = p.tree;
  for (let i = 0; i < t.count; i++) if (t.fid[i] === fid) out.push(i);
  return out;
}

/** First node of field `fid`, or -1. */
export function findFirst(p: Packet, fid: number): number {
  const t = p.tree;
  for (let i = 0; i < t.count; i++) if (t.fid[i] === fid) return i;
  return -1;
}

/** Children lists for the tree view (slow path: built on demand). */
export function childrenOf(p: Packet): number[][] {
  const t = p.tree;
  const kids: number[][] = [];
  for (let i = 0; i < t.count; i++) kids.push([]);
  const roots: number[] = [];
  for (let i = 0; i < t.count; i++) {
    const par = t.parent[i]!;
    if (par < 0) roots.push(i);
    else kids[par]!.push(i);
  }
  kids.push(roots); // index t.count holds the roots
  return kids;
}
