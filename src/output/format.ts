/**
 * Value text of tree nodes: the one place that turns a node into text.
 *
 * - `fieldText` / `writeFieldText`: what tshark 4.0 prints in `-T fields`, `-T json` and `-T ek`
 *   (raw numbers, not value names; hex padded to the container width; booleans 1/0).
 * - `nodeLabel`: the `-V` tree line of a node ("Name: value (value name)", bitfield prefix,
 *   "[...]" for generated items), derived from the field declaration alone.
 *
 * Protocol nodes are labelled by, in order: a string set on the node during dissection
 * (`p.setStr(node, text)`), the protocol field's `compute(p, node)` (evaluated only when the
 * label is printed: the preferred way, nothing is built per frame on the fast path), else the
 * protocol's display name.
 */
import { fieldDef, typeWidth, type FieldDef } from '../engine/fields.js';
import { GENERATED, HAS_NUM, HAS_STR, TEXT_FIELD, type Packet } from '../engine/packet.js';
import { nodeNumber, readUint } from '../engine/values.js';
import { TextBuf } from '../engine/textbuf.js';
import { BUILTIN, EXPERT } from '../engine/builtin.js';
import { expertDef, formatExpert } from '../engine/expert.js';
import { putBytes, putDec, putDecPad, putHex0x, putHexByte, putIpv4, putMac, putSpaces, reserve } from './buf.js';

const scratch = new TextBuf(256);
const protoScratch = new TextBuf(256);
const labelScratch = new TextBuf(256);
const utf8 = new TextDecoder();

const MONTHS = ['Jan', 'Feb', 'Mar', 'Apr', 'May', 'Jun', 'Jul', 'Aug', 'Sep', 'Oct', 'Nov', 'Dec'];

/** Epoch seconds + nanoseconds as "S.NNNNNNNNN". */
export function epochText(sec: number, nsec: number): string {
  return `${sec}.${String(nsec).padStart(9, '0')}`;
}

/** Relative time in nanoseconds as "S.NNNNNNNNN" (sign kept). */
export function relTimeText(ns: number): string {
  return writeRelTime(scratch.clear(), ns, 9).toString();
}

/** Appends a signed nanosecond duration as seconds with `digits` decimals (truncated as tshark). */
export function writeRelTime(out: TextBuf, ns: number, digits: number): TextBuf {
  let a = Math.round(ns);
  if (a < 0) {
    out.byte(45);
    a = -a;
  }
  const s = Math.floor(a / 1e9);
  const frac = a - s * 1e9;
  putDec(out, s);
  if (digits > 0) {
    out.byte(46);
    putDecPad(out, Math.floor(frac / POW10[9 - digits]!), digits);
  }
  return out;
}

const POW10 = [1, 10, 100, 1000, 1e4, 1e5, 1e6, 1e7, 1e8, 1e9];

let absCacheSec = NaN;
let absCacheText = '';
let absBytesSec = NaN;
let absBytes = new Uint8Array(0);
const UTC = new TextEncoder().encode(' UTC');

/** "Nov 14, 2023 22:13:20.123456000 UTC" (tshark's absolute time, in UTC). */
export function absTimeText(sec: number, nsec: number): string {
  return absTimePrefix(sec) + '.' + String(nsec).padStart(9, '0') + ' UTC';
}

function absTimePrefix(sec: number): string {
  if (sec !== absCacheSec) {
    const d = new Date(sec * 1000);
    const pad = (n: number) => String(n).padStart(2, '0');
    // tshark pads the day with a space ("Jan  1, 2026"), the time fields with zeros
    absCacheText = `${MONTHS[d.getUTCMonth()]} ${String(d.getUTCDate()).padStart(2, ' ')}, ${d.getUTCFullYear()} ${pad(d.getUTCHours())}:${pad(d.getUTCMinutes())}:${pad(d.getUTCSeconds())}`;
    absCacheSec = sec;
  }
  return absCacheText;
}

/** Number of bits covered by a mask from its lowest to its highest set bit. */
export function maskBitWidth(mask: number): number {
  if (!mask) return 0;
  let lo = 0;
  while (Math.floor(mask / 2 ** lo) % 2 === 0) lo++;
  let hi = 52;
  while (Math.floor(mask / 2 ** hi) % 2 === 0) hi--;
  return hi - lo + 1;
}

function hexWidth(def: FieldDef, len: number): number {
  const w = typeWidth(def.type);
  return 2 * (w || len);
}

/** Formats a number of field `def` in its base, tshark `-T fields` style. */
export function numberText(def: FieldDef, v: number, len = 0): string {
  switch (def.base) {
    case 'hex':
    case 'hex_dec':
      return '0x' + v.toString(16).padStart(hexWidth(def, len), '0');
    case 'oct':
      return '0' + v.toString(8);
    default:
      return String(v);
  }
}

/** True when the field has a text value in `-T fields` / json (false for protocols' children-only nodes). */
export function hasValue(p: Packet, node: number): boolean {
  const fid = p.tree.fid[node]!;
  if (fid === TEXT_FIELD) return false;
  const t = fieldDef(fid).type;
  return t !== 'protocol' && t !== 'none';
}

/**
 * The tshark `-T fields` text of one node. `bytesSep` separates the octets of byte fields:
 * none in `-T fields` and for `-e` fields, ':' in the full json/ek trees (as tshark 4.0).
 */
export function fieldText(p: Packet, node: number, bytesSep = -1): string {
  return writeFieldText(scratch.clear(), p, node, bytesSep).toString();
}

/** Appends the tshark `-T fields` text of one node to `out` (the fast path: no strings for common types). */
export function writeFieldText(out: TextBuf, p: Packet, node: number, bytesSep = -1): TextBuf {
  const t = p.tree;
  const fid = t.fid[node]!;
  if (fid === TEXT_FIELD) return out.str(t.strs[node] ?? '');
  const def = fieldDef(fid);
  const flags = t.flags[node]!;
  if (flags & HAS_STR) return out.str(t.strs[node] ?? '');
  if (def.type === 'protocol') return out.str(protocolValue(p, node, def));
  if (def.compute && !(flags & HAS_NUM)) {
    const v = def.compute(p, node);
    if (typeof v === 'string') return out.str(v);
    return writeNumber(out, p, node, def, v);
  }
  switch (def.type) {
    case 'abs_time':
      if (def.abbrev.endsWith('epoch')) {
        putDec(out, p.tsSec);
        out.byte(46);
        putDecPad(out, p.tsNsec, 9);
        return out;
      }
      if (p.tsSec !== absBytesSec) {
        absBytes = encoder.encode(absTimePrefix(p.tsSec));
        absBytesSec = p.tsSec;
      }
      putBytes(out, absBytes);
      out.byte(46);
      putDecPad(out, p.tsNsec, 9);
      putBytes(out, UTC);
      return out;
    case 'rel_time':
      return writeRelTime(out, nodeNumber(p, node), 9);
    case 'ipv4':
      if (flags & HAS_NUM) {
        const v = t.num[node]!;
        return out.dec((v >>> 24) & 255).byte(46).dec((v >>> 16) & 255).byte(46).dec((v >>> 8) & 255).byte(46).dec(v & 255);
      }
      if (!captured(p, node, 4)) return out;
      putIpv4(out, p.data, p.base + t.off[node]!);
      return out;
    case 'ipv6':
      if (!captured(p, node, 16)) return out;
      return out.ipv6(p.data, p.base + t.off[node]!);
    case 'ether':
      if (!captured(p, node, 6)) return out;
      putMac(out, p.data, p.base + t.off[node]!);
      return out;
    case 'bytes': {
      const off = t.off[node]!;
      if (off < 0) return out;
      const end = Math.min(off + t.len[node]!, p.caplen);
      const d = p.data;
      for (let i = off; i < end; i++) {
        if (bytesSep >= 0 && i > off) out.byte(bytesSep);
        putHexByte(out, d[p.base + i]!);
      }
      return out;
    }
    case 'string':
      return out.str(stringValue(p, node));
    case 'none':
      return out;
    case 'uint64':
      if (!(flags & HAS_NUM) && t.len[node] === 8 && !def.mask) {
        const hi = readUint(p, t.off[node]!, 4);
        const lo = readUint(p, t.off[node]! + 4, 4);
        const big = (BigInt(hi) << 32n) | BigInt(lo);
        return out.str(def.base === 'hex' ? '0x' + big.toString(16).padStart(16, '0') : big.toString());
      }
      return writeNumber(out, p, node, def, nodeNumber(p, node));
    default:
      return writeNumber(out, p, node, def, nodeNumber(p, node));
  }
}

function captured(p: Packet, node: number, n: number): boolean {
  const off = p.tree.off[node]!;
  return off >= 0 && off + n <= p.caplen;
}

function stringValue(p: Packet, node: number): string {
  const t = p.tree;
  const off = t.off[node]!;
  if (off < 0) return '';
  const end = Math.min(off + t.len[node]!, p.caplen);
  return utf8.decode(p.data.subarray(p.base + off, p.base + Math.max(off, end)));
}

function writeNumber(out: TextBuf, p: Packet, node: number, def: FieldDef, v: number): TextBuf {
  if (Number.isNaN(v)) return out;
  switch (def.type) {
    case 'boolean':
      return out.byte(v ? 49 : 48);
    case 'rel_time':
      return writeRelTime(out, v, 9);
    case 'double':
      return out.str(String(v));
    case 'ipv4':
      return out.dec((v >>> 24) & 255).byte(46).dec((v >>> 16) & 255).byte(46).dec((v >>> 8) & 255).byte(46).dec(v & 255);
  }
  switch (def.base) {
    case 'hex':
    case 'hex_dec':
      if (v < 0) return out.str(String(v));
      putHex0x(out, v, hexWidth(def, p.tree.len[node]!));
      return out;
    case 'oct':
      return out.byte(48).str(v.toString(8));
    default:
      putDec(out, v);
      return out;
  }
}

// ---------------------------------------------------------------------------- tree labels

/**
 * The label of a protocol node: dissector-set text, the protocol's compute(), or its name.
 * (tshark's own exception: the undecoded "data" protocol reads "Data (N bytes)".)
 */
export function protocolLabel(p: Packet, node: number, def: FieldDef = fieldDef(p.tree.fid[node]!)): string {
  const s = p.tree.strs[node];
  if (s !== undefined) return s;
  if (def.compute) {
    const v = def.compute(p, node);
    if (typeof v === 'string') return v;
  }
  if (def.id === BUILTIN.malformed || def.id === BUILTIN.short) return engineLabel(p, node, def);
  if (def.abbrev === 'data') return `${def.name} (${p.tree.len[node]} byte${p.tree.len[node] === 1 ? '' : 's'})`;
  return def.name;
}

/**
 * The `-T fields` value of a protocol node, as tshark prints it: the label the dissector gave it
 * (compute, or text set on the node), else the protocol's filter name; the bytes of "data".
 */
function protocolValue(p: Packet, node: number, def: FieldDef): string {
  if (def.id === BUILTIN.malformed || def.id === BUILTIN.short) return '[' + protocolLabel(p, node, def) + ']'; // tshark's label has the brackets
  if (p.tree.strs[node] === undefined && def.compute === undefined && def.abbrev !== 'data') return def.abbrev;
  if (def.abbrev === 'data' && p.tree.strs[node] === undefined && !def.compute) {
    const b = protoScratch.clear();
    const off = p.tree.off[node]!;
    const end = Math.min(off + p.tree.len[node]!, p.caplen);
    for (let i = off; i < end; i++) b.hex(p.data[p.base + i]!, 2);
    return b.toString();
  }
  return protocolLabel(p, node, def);
}

/** "Malformed Packet: IPv4" / "Packet size limited during capture: UDP truncated" from the engine's expert. */
function engineLabel(p: Packet, node: number, def: FieldDef): string {
  const ex = p.experts;
  for (let i = 0; i < ex.count; i++) {
    if (ex.node[i] !== node) continue;
    const id = ex.id[i]!;
    const a0 = ex.args[2 * i];
    if (id === EXPERT.short) return `${def.name}: ${a0 ?? ''} truncated`;
    if (id === EXPERT.malformed || id === EXPERT.bug) return `${def.name}: ${a0 ?? ''}`;
    return formatExpert(expertDef(id), a0, ex.args[2 * i + 1]);
  }
  return def.name;
}

/** The bit picture of a masked field: ".... ..1. .... ...." over the container width. */
export function bitString(raw: number, mask: number, bits: number): string {
  return writeBits(labelScratch.clear(), raw, mask, bits).toString();
}

/** Appends the bit picture of a masked field (groups of four bits, '.' outside the mask). */
export function writeBits(out: TextBuf, raw: number, mask: number, bits: number): TextBuf {
  if (out.len + bits * 2 > out.buf.length) reserve(out, bits * 2);
  const b = out.buf;
  let o = out.len;
  if (bits <= 32) {
    for (let k = bits - 1; k >= 0; k--) {
      b[o++] = (mask >>> k) & 1 ? ((raw >>> k) & 1 ? 49 : 48) : 46;
      if (k > 0 && (k & 3) === 0) b[o++] = 32;
    }
  } else {
    for (let k = bits - 1; k >= 0; k--) {
      const m = Math.floor(mask / 2 ** k) % 2;
      b[o++] = m ? (Math.floor(raw / 2 ** k) % 2 ? 49 : 48) : 46;
      if (k > 0 && k % 4 === 0) b[o++] = 32;
    }
  }
  out.len = o;
  return out;
}

/** Per-field facts of the tree view, computed once. */
interface TreeInfo {
  /** Hex digits of a value in the tree (from the mask width, else the type width). */
  hexDigits: number;
}
const treeInfos: (TreeInfo | undefined)[] = new Array(8192).fill(undefined);
function treeInfo(def: FieldDef, len: number): TreeInfo {
  let ti = treeInfos[def.id];
  if (ti === undefined) {
    const w = typeWidth(def.type);
    if (!def.mask && !w) return { hexDigits: Math.max(1, 2 * len) }; // width from the node: not cached
    const bits = def.mask ? maskBitWidth(def.mask) : 8 * w;
    ti = { hexDigits: Math.max(1, Math.ceil(bits / 4)) };
    treeInfos[def.id] = ti;
  }
  return ti;
}

function containerBits(def: FieldDef, len: number): number {
  if (def.bits) return def.bits;
  const w = typeWidth(def.type);
  return 8 * (w || len);
}

/** Hex digits of a value in the tree: from the mask width, else the type width (tshark's hfinfo_hex_digits). */
function treeHexDigits(def: FieldDef, len: number): number {
  return treeInfo(def, len).hexDigits;
}

function treeNumber(def: FieldDef, v: number, len: number): string {
  const hex = () => '0x' + (v < 0 ? v : v.toString(16).padStart(treeHexDigits(def, len), '0'));
  switch (def.base) {
    case 'hex':
      return hex();
    case 'dec_hex':
      return `${v} (${hex()})`;
    case 'hex_dec':
      return `${hex()} (${v})`;
    case 'oct':
      return '0' + v.toString(8);
    default:
      return String(v);
  }
}

const BYTES_LABEL_MAX = 36;

/** The value part of a tree label ("0x0800", "IPv4 (0x0800)", "Set", "64 bytes"). */
export function displayValue(p: Packet, node: number): string {
  const t = p.tree;
  const fid = t.fid[node]!;
  if (fid === TEXT_FIELD) return t.strs[node] ?? '';
  const def = fieldDef(fid);
  const flags = t.flags[node]!;
  if (flags & HAS_STR && def.type !== 'protocol') return (t.strs[node] ?? '') + def.unit;
  switch (def.type) {
    case 'protocol':
      return protocolLabel(p, node, def);
    case 'none':
      return '';
    case 'boolean': {
      const v = def.compute && !(flags & HAS_NUM) ? Number(def.compute(p, node)) : nodeNumber(p, node);
      return v ? def.tf[0] : def.tf[1];
    }
    case 'rel_time':
      return fieldText(p, node) + ' seconds';
    case 'abs_time':
      return def.abbrev.endsWith('epoch') ? fieldText(p, node) + ' seconds' : fieldText(p, node);
    case 'bytes': {
      const off = t.off[node]!;
      const len = Math.min(t.len[node]!, Math.max(0, p.caplen - off));
      if (off < 0 || len <= 0) return '<MISSING>';
      const n = Math.min(len, BYTES_LABEL_MAX);
      scratch.clear();
      for (let i = 0; i < n; i++) scratch.hex(p.data[p.base + off + i]!, 2);
      return scratch.toString() + (len > BYTES_LABEL_MAX ? '…' : '');
    }
    case 'ipv4': case 'ipv6': case 'ether': case 'string': case 'double':
      return fieldText(p, node) + def.unit;
  }
  // integers
  let v: number;
  if (def.compute && !(flags & HAS_NUM)) {
    const c = def.compute(p, node);
    if (typeof c === 'string') return c + def.unit;
    v = c;
  } else {
    if (def.type === 'uint64' && !(flags & HAS_NUM) && t.len[node] === 8 && !def.mask) return fieldText(p, node) + def.unit;
    v = nodeNumber(p, node);
  }
  if (Number.isNaN(v)) return '';
  const num = treeNumber(def, v, t.len[node]!);
  if (def.strings) {
    const name = def.strings[v];
    const base = def.base === 'hex' || def.base === 'hex_dec' ? '0x' + v.toString(16).padStart(treeHexDigits(def, t.len[node]!), '0') : String(v);
    return `${name ?? 'Unknown'} (${base})`;
  }
  return num + def.unit;
}

/**
 * The full `-V` line of a node (without indentation): bitfield picture for masked fields,
 * "Name: value", protocol and text labels as they are, generated items in brackets.
 */
export function nodeLabel(p: Packet, node: number): string {
  return writeNodeLabel(labelScratch.clear(), p, node).toString();
}

const INT_TYPES = new Set(['uint8', 'uint16', 'uint24', 'uint32', 'uint64', 'int8', 'int16', 'int32', 'framenum']);

/** Field kinds of the label writer (small integers, resolved once per field). */
const K_OTHER = 0;
const K_UINT = 1; // uint8..uint32, framenum: value from up to 4 bytes or the cached number
const K_INT = 2; // signed, uint64, anything else numeric: engine's nodeNumber
const K_BOOL = 3;
const kinds = new Int8Array(8192).fill(-1);

function kindOf(def: FieldDef): number {
  if (def.id >= kinds.length) return computeKind(def);
  let k = kinds[def.id]!;
  if (k < 0) {
    k = computeKind(def);
    kinds[def.id] = k;
  }
  return k;
}

function computeKind(def: FieldDef): number {
  switch (def.type) {
    case 'uint8': case 'uint16': case 'uint24': case 'uint32': case 'framenum':
      return K_UINT;
    case 'boolean':
      return K_BOOL;
    default:
      return INT_TYPES.has(def.type) ? K_INT : K_OTHER;
  }
}

/** Numeric value of an unsigned field node of up to 4 bytes, or NaN (fast path of nodeNumber). */
function uintValue(p: Packet, node: number, def: FieldDef): number {
  const t = p.tree;
  if (t.flags[node]! & HAS_NUM) return t.num[node]!;
  const len = t.len[node]!;
  const off = t.off[node]!;
  if (len <= 0 || len > 4 || off < 0 || off + len > p.caplen) return nodeNumber(p, node);
  const d = p.data;
  let i = p.base + off;
  let raw = d[i++]!;
  for (let k = 1; k < len; k++) raw = raw * 256 + d[i++]!;
  if (!def.mask) return raw;
  return (raw & def.mask) >>> def.shift;
}

/** 1/0 of a boolean node (fast path of nodeNumber). */
function boolValue(p: Packet, node: number, def: FieldDef): number {
  const t = p.tree;
  if (t.flags[node]! & HAS_NUM) return t.num[node] ? 1 : 0;
  const len = t.len[node]!;
  const off = t.off[node]!;
  if (len <= 0 || len > 4 || off < 0 || off + len > p.caplen) {
    const v = nodeNumber(p, node);
    return Number.isNaN(v) ? v : v ? 1 : 0;
  }
  const d = p.data;
  let i = p.base + off;
  let raw = d[i++]!;
  for (let k = 1; k < len; k++) raw = raw * 256 + d[i++]!;
  return (def.mask ? (raw & def.mask) : raw) !== 0 ? 1 : 0;
}

/**
 * Labels of integer and boolean fields depend only on (field, value): labels of values 0..255
 * are kept per field (as bytes) and copied on later frames.
 */
const FID_SLOTS = 8192;
const labelCache: (Uint8Array[] | undefined)[] = new Array(FID_SLOTS).fill(undefined);

/** Protocol and subtree names as bytes (labels without a dissector-set text). */
const plainName: (Uint8Array | undefined)[] = new Array(8192).fill(undefined);
const SECONDS = new TextEncoder().encode(' seconds');

const BIG_CACHE_MAX = 256;
const BIG_MISS_LIMIT = 4096;
const bigCache: (Map<number, Uint8Array> | undefined)[] = new Array(FID_SLOTS).fill(undefined);
const bigMisses = new Int32Array(FID_SLOTS);

/** Appends the `-V` label of a node to `out` (no indentation, no newline). */
export function writeNodeLabel(out: TextBuf, p: Packet, node: number): TextBuf {
  writeLabel(out, p, node, -1);
  return out;
}

/**
 * Appends the `-V` line of a node: `level` × 4 spaces, the label, a newline. The -V fast path:
 * whole lines of integer and boolean fields are cached per (field, value, level) and copied.
 */
export function writeNodeLine(out: TextBuf, p: Packet, node: number, level: number): void {
  writeLabel(out, p, node, level);
}

const MAX_CACHED_LEVEL = 8;

function writeLabel(out: TextBuf, p: Packet, node: number, level: number): void {
  const t = p.tree;
  const fid = t.fid[node]!;
  const flags = t.flags[node]!;
  const gen = (flags & GENERATED) !== 0;
  if (fid === TEXT_FIELD) {
    if (level > 0) putSpaces(out, level * 4);
    if (gen) out.byte(91);
    out.str(t.strs[node] ?? '');
    if (gen) out.byte(93);
    if (level >= 0) out.byte(10);
    return;
  }
  const def = fieldDef(fid);
  if (def.label !== undefined) {
    if (level > 0) putSpaces(out, level * 4);
    if (gen) out.byte(91);
    out.str(def.label(p, node));
    if (gen) out.byte(93);
    if (level >= 0) out.byte(10);
    return;
  }
  const kind = kindOf(def);
  let slot = -1;
  let cache: Uint8Array[] | undefined;
  let v = NaN;
  let bigMap: Map<number, Uint8Array> | null = null;
  let bigKey = 0;
  if (kind !== K_OTHER && !(flags & HAS_STR) && def.compute === undefined) {
    v = kind === K_UINT ? uintValue(p, node, def) : kind === K_BOOL ? boolValue(p, node, def) : nodeNumber(p, node);
    if (level >= 0 && level < MAX_CACHED_LEVEL && fid < FID_SLOTS) {
      const hasBits = def.mask !== 0 && t.off[node]! >= 0 && t.len[node]! > 0 ? 1 : 0;
      if (v >= 0 && v < 256) {
        slot = ((v * 4 + (gen ? 2 : 0) + hasBits) << 3) | level;
        cache = labelCache[fid];
        if (cache === undefined) labelCache[fid] = cache = new Array(8192).fill(undefined);
        const hit = cache[slot];
        if (hit !== undefined) {
          putBytes(out, hit);
          return;
        }
      } else if (v >= 256 && bigMisses[fid]! < BIG_MISS_LIMIT) {
        // larger values (ethertypes, ports, keys): a bounded map, given up for fields whose
        // values keep changing (checksums, identifications)
        let m = bigCache[fid];
        if (m === undefined) bigCache[fid] = m = new Map();
        bigKey = ((v * 2 + (gen ? 1 : 0)) * 2 + hasBits) * 8 + level;
        const hit = m.get(bigKey);
        if (hit !== undefined) {
          putBytes(out, hit);
          return;
        }
        if (m.size < BIG_CACHE_MAX) bigMap = m;
        else bigMisses[fid]!++;
      }
    }
  }
  const start = out.len;
  if (level > 0) putSpaces(out, level * 4);
  if (gen) out.byte(91);
  if (def.type === 'protocol' || def.type === 'none') {
    const s = t.strs[node];
    if (s !== undefined) out.str(s);
    else if (def.type === 'none' || (def.compute === undefined && def.abbrev !== 'data' && def.id !== BUILTIN.malformed && def.id !== BUILTIN.short)) {
      if (def.id < FID_SLOTS) putBytes(out, (plainName[def.id] ??= encoder.encode(def.name)));
      else out.str(def.name);
    } else out.str(protocolLabel(p, node, def));
  } else {
    const len = t.len[node]!;
    if (def.mask && t.off[node]! >= 0 && len > 0) {
      const bits = containerBits(def, len);
      let raw: number;
      if (flags & HAS_NUM) raw = def.type === 'boolean' ? (t.num[node] ? def.mask : 0) : t.num[node]! * 2 ** def.shift;
      else raw = t.off[node]! + len <= p.caplen ? readUint(p, t.off[node]!, Math.min(len, 6)) : 0;
      writeBits(out, raw, def.mask, bits);
      out.byte(32).byte(61).byte(32);
    }
    putBytes(out, nameBytesOf(def));
    if (kind !== K_OTHER && !Number.isNaN(v)) writeNumberLabel(out, def, v, len);
    else writeDisplayValue(out, p, node, def);
  }
  if (gen) out.byte(93);
  if (level >= 0) out.byte(10);
  if (slot >= 0 && cache !== undefined) cache[slot] = out.buf.slice(start, out.len);
  else if (bigMap !== null) bigMap.set(bigKey, out.buf.slice(start, out.len));
}

const nameBytes: (Uint8Array | undefined)[] = new Array(FID_SLOTS).fill(undefined);
const encoder = new TextEncoder();
/** "Name: " of a field as bytes (encoded once). */
function nameBytesOf(def: FieldDef): Uint8Array {
  return (nameBytes[def.id] ??= encoder.encode(def.name + ': '));
}

const tfBytes: ([Uint8Array, Uint8Array] | undefined)[] = new Array(FID_SLOTS).fill(undefined);
const unitBytes: (Uint8Array | undefined)[] = new Array(FID_SLOTS).fill(undefined);

/** Appends the tree text of an integer or boolean value (value names, base, unit). */
function writeNumberLabel(out: TextBuf, def: FieldDef, v: number, len: number): void {
  if (def.type === 'boolean') {
    if (def.id >= FID_SLOTS) {
      out.str(v ? def.tf[0] : def.tf[1]);
      return;
    }
    const tf = (tfBytes[def.id] ??= [encoder.encode(def.tf[0]), encoder.encode(def.tf[1])]);
    putBytes(out, v ? tf[0] : tf[1]);
    return;
  }
  if (def.strings) {
    const name = def.strings[v];
    out.str(name ?? 'Unknown').byte(32).byte(40);
    if ((def.base === 'hex' || def.base === 'hex_dec') && v >= 0) out.hex0x(v, treeHexDigits(def, len));
    else out.dec(v);
    out.byte(41);
    return;
  }
  switch (def.base) {
    case 'hex':
      if (v < 0) out.dec(v);
      else putHex0x(out, v, treeHexDigits(def, len));
      break;
    case 'dec_hex':
      putDec(out, v);
      out.byte(32).byte(40);
      putHex0x(out, v, treeHexDigits(def, len));
      out.byte(41);
      break;
    case 'hex_dec':
      putHex0x(out, v, treeHexDigits(def, len));
      out.byte(32).byte(40);
      putDec(out, v);
      out.byte(41);
      break;
    case 'oct':
      out.byte(48).str(v.toString(8));
      break;
    default:
      putDec(out, v);
  }
  if (def.unit) {
    if (def.id < FID_SLOTS) putBytes(out, (unitBytes[def.id] ??= encoder.encode(def.unit)));
    else out.str(def.unit);
  }
}

/** Appends the value part of a tree label for every other case. */
function writeDisplayValue(out: TextBuf, p: Packet, node: number, def: FieldDef): void {
  const t = p.tree;
  const flags = t.flags[node]!;
  const computed = def.compute !== undefined && !(flags & HAS_NUM);
  if (flags & HAS_STR) {
    out.str(t.strs[node] ?? '');
    if (def.unit) out.str(def.unit);
    return;
  }
  if (!computed) {
    switch (def.type) {
      case 'ipv4':
      case 'ipv6':
      case 'ether':
      case 'string':
        writeFieldText(out, p, node);
        if (def.unit) out.str(def.unit);
        return;
      case 'rel_time':
        putBytes(writeRelTime(out, nodeNumber(p, node), 9), SECONDS);
        return;
      case 'abs_time':
        writeFieldText(out, p, node);
        if (def.abbrev.endsWith('epoch')) putBytes(out, SECONDS);
        return;
      case 'bytes': {
        const off = t.off[node]!;
        const len = Math.min(t.len[node]!, Math.max(0, p.caplen - off));
        if (off < 0 || len <= 0) {
          out.str('<MISSING>');
          return;
        }
        const n = Math.min(len, BYTES_LABEL_MAX);
        const d = p.data;
        for (let i = 0; i < n; i++) putHexByte(out, d[p.base + off + i]!);
        if (len > BYTES_LABEL_MAX) out.str('…');
        return;
      }
    }
  }
  out.str(displayValue(p, node));
}
