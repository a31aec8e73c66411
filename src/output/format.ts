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
import { keyShape, LineKeyBuf, lineKeyOf, type LineKey } from '../engine/label.js';
import { putBytes, putDec, putDecPad, putHex0x, putHexByte, putIpv4, putMac, putSpaces, reserve } from './buf.js';

const scratch = new TextBuf(256);
const protoScratch = new TextBuf(256);
const labelScratch = new TextBuf(256);
const utf8 = new TextDecoder();
const HEX_DIGITS = new TextEncoder().encode('0123456789abcdef');

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
      return writeAbsTime(out, p, def.abbrev.endsWith('epoch'));
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
      if (t.len[node] === 0 && def.empty !== '') return out.str(def.empty);
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
      return writeStringValue(out, p, node);
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

/** The frame's time: "S.NNNNNNNNN" since the epoch, else "Nov 14, 2023 22:13:20.123456000 UTC". */
function writeAbsTime(out: TextBuf, p: Packet, epoch: boolean): TextBuf {
  if (epoch) {
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

/** Appends the text of a string node: its bytes when they are ASCII (what decoding them gives), else decoded. */
function writeStringValue(out: TextBuf, p: Packet, node: number): TextBuf {
  const t = p.tree;
  const off = t.off[node]!;
  if (off < 0) return out;
  const end = Math.min(off + t.len[node]!, p.caplen);
  const d = p.data;
  const from = p.base + off;
  const to = p.base + end;
  for (let i = from; i < to; i++) if (d[i]! >= 0x80) return out.str(stringValue(p, node));
  if (to > from) out.bytes(d, from, to);
  return out;
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

const INT_TYPES = new Set(['uint8', 'uint16', 'uint24', 'uint32', 'uint64', 'int8', 'int16', 'int32', 'framenum']);

/** Field kinds of the label writer (small integers, resolved once per field). */
const K_OTHER = 0;
const K_UINT = 1; // uint8..uint32, framenum: value from up to 4 bytes or the cached number
const K_INT = 2; // signed, uint64, anything else numeric: engine's nodeNumber
const K_BOOL = 3;
const K_PLAIN = 4; // protocol or label whose line is its name (unless the node has a string): one line per context
const K_ETHER = 5; // MAC address: the line depends on the 6 bytes (as a 48-bit number)
const K_KEYED = 6; // the line depends on a key (field, context, bytes): see keyed lines below

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

const encoder = new TextEncoder();
const SECONDS = encoder.encode(' seconds');
const ELLIPSIS = encoder.encode('…');
const MISSING = encoder.encode('<MISSING>');

/** Lines are cached for levels 0..7 (the context index has 3 bits of level). */
const MAX_CACHED_LEVEL = 8;
/** Per field and context: at most this many lines of values ≥ 256 are kept ... */
const BIG_CACHE_MAX = 256;
/** ... and after this many misses the field stops caching them (checksums, identifications). */
const BIG_MISS_LIMIT = 4096;

/**
 * Per-field facts of the `-V` writer, built on first use: the text pieces as UTF-8 bytes. Lines
 * of integer and boolean fields without compute() depend only on (value, generated, bit picture
 * shown, level), those of plain protocols only on the context, those of MAC addresses on the 6
 * bytes: they are kept as bytes and copied on later frames (the tables below).
 */
class LineInfo {
  readonly kind: number;
  /** Lines of this field are cached. */
  readonly cacheable: boolean;
  /** "Name: " */
  readonly name: Uint8Array;
  /** The name alone (protocols and subtree labels). */
  readonly plain: Uint8Array;
  /** Protocol or label whose text is its name unless the node has a string. */
  readonly plainLabel: boolean;
  readonly unit: Uint8Array;
  readonly tf0: Uint8Array;
  readonly tf1: Uint8Array;
  /** An abs_time field shown in seconds since the epoch (frame.time_epoch). */
  readonly epoch: boolean;
  bigMisses = 0;
  /**
   * The start of a line with the value part after it (no bit picture), per context
   * ((generated ? 8 : 0) | level, levels 0..7): indentation, "[" when generated, "Name: ".
   */
  private readonly heads: (Uint8Array | undefined)[] = [];

  constructor(readonly def: FieldDef) {
    this.kind = computeKind(def);
    this.cacheable = this.kind !== K_OTHER && def.compute === undefined;
    this.name = encoder.encode(def.name + ': ');
    this.plain = encoder.encode(def.name);
    this.plainLabel =
      def.type === 'none' ||
      (def.type === 'protocol' && def.compute === undefined && def.abbrev !== 'data' && def.id !== BUILTIN.malformed && def.id !== BUILTIN.short);
    this.unit = encoder.encode(def.unit);
    this.tf0 = encoder.encode(def.tf[0]);
    this.tf1 = encoder.encode(def.tf[1]);
    this.epoch = def.type === 'abs_time' && def.abbrev.endsWith('epoch');
  }

  head(ctx: number): Uint8Array {
    return this.heads[ctx] ?? (this.heads[ctx] = encoder.encode(' '.repeat((ctx & 7) * 4) + (ctx & 8 ? '[' : '') + this.def.name + ': '));
  }
}

const lineInfos: (LineInfo | undefined)[] = [];

function lineInfo(fid: number): LineInfo {
  return lineInfos[fid] ?? (lineInfos[fid] = new LineInfo(fieldDef(fid)));
}

// The line cache, in flat tables (the hot path touches few objects per line):
// - hotKind[fid]: -1 not set up yet, K_OTHER for fields whose lines are not cached, else the kind;
// - ctxBlock[fid * 32 + ctx]: 1 + the block of (field, context) in `small` / `big`, 0 when none yet;
// - small[block * 256 + v]: 1 + the id of the line of value v (0..255), 0 when none yet;
//   larger values: a hash table over (block, value) (bigFind / bigPut).
// Cached lines have ids (see lineBytes); they are views into shared slabs, so the lines of a
// frame sit together in memory.
// - hotMask / hotHasMask / hotShift[fid]: the field's mask (as int32), whether it has one, its shift;
let hotKind = new Int8Array(1024).fill(-1);
let hotMask = new Int32Array(1024);
let hotHasMask = new Uint8Array(1024);
let hotShift = new Uint8Array(1024);
let ctxBlock = new Int32Array(1024 * 32);
let small: Int32Array = new Int32Array(1 << 16);
/** Blocks allocated so far. */
let blocks = 0;
/** Lines of larger values kept per block (at most BIG_CACHE_MAX). */
let bigCount: Int32Array = new Int32Array(1024);
/** Larger values: slots (2 words: hash, 1 + entry; 0 free), and per entry the block, the value and the line id. */
let bigSlots: Int32Array = new Int32Array(2 << 12);
let bigMask = (1 << 12) - 1;
let bigN = 0;
let bigBlock: Int32Array = new Int32Array(1 << 11);
let bigKey: Float64Array = new Float64Array(1 << 11);
let bigId: Int32Array = new Int32Array(1 << 11);

/** Hash of (block, value) for a value v >= 0 that is an integer (up to 2^53). */
function bigHash(block: number, v: number): number {
  const lo = v >>> 0;
  const hi = (v / 4294967296) | 0;
  let h = Math.imul(lo ^ Math.imul(hi, 0x27d4eb2f) ^ Math.imul(block, 0x165667b1), 0x9e3779b1);
  h ^= h >>> 15;
  return Math.imul(h, 0x85ebca6b) ^ (h >>> 13);
}

/** The line id of value `v` in `block`, or -1. */
function bigFind(block: number, v: number): number {
  const h = bigHash(block, v);
  const slots = bigSlots;
  const mask = bigMask;
  let s = h & mask;
  for (;;) {
    const e = slots[2 * s + 1]! - 1;
    if (e < 0) return -1;
    if (slots[2 * s] === h && bigKey[e] === v && bigBlock[e] === block) return bigId[e]!;
    s = (s + 1) & mask;
  }
}

/** Keeps line `id` for value `v` in `block` (not there yet). */
function bigPut(block: number, v: number, id: number): void {
  if (2 * (bigN + 1) > bigMask + 1) {
    // grow: twice the slots, entries hashed again
    const size = (bigMask + 1) * 2;
    bigSlots = new Int32Array(2 * size);
    bigMask = size - 1;
    for (let e = 0; e < bigN; e++) slotIn(bigHash(bigBlock[e]!, bigKey[e]!), e);
  }
  if (bigN === bigId.length) {
    bigBlock = growInt32(bigBlock, bigN + 1);
    bigId = growInt32(bigId, bigN + 1);
    const k = new Float64Array(bigId.length);
    k.set(bigKey);
    bigKey = k;
  }
  const e = bigN++;
  bigBlock[e] = block;
  bigKey[e] = v;
  bigId[e] = id;
  slotIn(bigHash(block, v), e);
  bigCount[block]++;
}

function slotIn(h: number, e: number): void {
  let s = h & bigMask;
  while (bigSlots[2 * s + 1] !== 0) s = (s + 1) & bigMask;
  bigSlots[2 * s] = h;
  bigSlots[2 * s + 1] = e + 1;
}
/**
 * Where copies of lines are kept: 64 KiB slabs, each line a view into one. The lines kept for
 * good, the keyed-line table's and the run table's have slabs of their own: the two tables start
 * again when full, and their old lines then free whole slabs instead of pinning slabs that a few
 * lines kept for good share with them (32 MB of slabs for 0.5 MB of lines kept, before).
 */
class Slabs {
  private slab = new ArrayBuffer(1 << 16);
  private pos = 0;

  /** A copy of out[start, end) (a view into the current slab; a line over 4 KiB gets its own buffer). */
  keep(out: TextBuf, start: number, end: number): Uint8Array {
    const n = end - start;
    if (n > 4096) return out.buf.slice(start, end);
    if (this.pos + n > this.slab.byteLength) this.renew();
    const line = new Uint8Array(this.slab, this.pos, n);
    line.set(out.buf.subarray(start, end));
    this.pos += n;
    return line;
  }

  /** Leaves the current slab to the lines in it: the next line starts a new one. */
  renew(): void {
    this.slab = new ArrayBuffer(1 << 16);
    this.pos = 0;
  }
}

const keptSlabs = new Slabs();
const keyedSlabs = new Slabs();
const runSlabs = new Slabs();

/**
 * Diagnostics of the -V line cache: lines kept for good, their bytes, and the distinct buffers
 * they lie in (what they keep in memory); lines in the keyed-line and run tables.
 */
export function lineCacheStats(): { keptLines: number; keptBytes: number; keptBuffers: number; keyedLines: number; runLines: number } {
  const buffers = new Set<ArrayBufferLike>();
  let bytes = 0;
  for (const l of lines) {
    buffers.add(l.buffer);
    bytes += l.byteLength;
  }
  return { keptLines: lines.length, keptBytes: bytes, keptBuffers: buffers.size, keyedLines: ktCount, runLines: rtLines.length };
}
/** Lines kept for good (ids 0 ..): small, big and text-line caches. */
const lines: Uint8Array[] = [];
/** Ids of the lines of the keyed-line table (which starts again when full) start here. */
const KEYED_IDS = 1 << 28;

/** The line of a line id. */
function lineBytes(id: number): Uint8Array {
  return id < KEYED_IDS ? lines[id]! : ktLines[id - KEYED_IDS]!;
}

/** A line kept for good: its id. */
function newLine(line: Uint8Array): number {
  lines.push(line);
  return lines.length - 1;
}

/** Sets up the hot-path entry of field `fid`; returns its hotKind. */
function initHot(fid: number): number {
  if (fid >= hotKind.length) {
    const n = Math.max(fid + 1, hotKind.length * 2);
    const k = new Int8Array(n).fill(-1);
    k.set(hotKind);
    hotKind = k;
    const m = new Int32Array(n);
    m.set(hotMask);
    hotMask = m;
    const hm = new Uint8Array(n);
    hm.set(hotHasMask);
    hotHasMask = hm;
    const sh = new Uint8Array(n);
    sh.set(hotShift);
    hotShift = sh;
    const c = new Int32Array(n * 32);
    c.set(ctxBlock);
    ctxBlock = c;
  }
  const info = lineInfo(fid);
  const def = info.def;
  // a field with its own line (FieldSpec.label) is cached only by a key declared with keyedLine:
  // its line depends on more than its value
  const k =
    setKey(fid, def) ? K_KEYED
    : def.label !== undefined ? K_OTHER
    : info.cacheable ? info.kind
    : info.plainLabel ? K_PLAIN
    : def.type === 'ether' && def.compute === undefined ? K_ETHER
    : K_OTHER;
  hotMask[fid] = def.mask | 0;
  hotHasMask[fid] = def.mask !== 0 ? 1 : 0;
  hotShift[fid] = def.shift;
  hotKind[fid] = k;
  return k;
}

/** The block of (field, context), allocated on first use. */
function newBlock(slot: number): number {
  const b = blocks++;
  if (b >= bigCount.length) bigCount = growInt32(bigCount, b + 1);
  if ((b + 1) << 8 > small.length) {
    const g = new Int32Array(small.length * 2);
    g.set(small);
    small = g;
  }
  ctxBlock[slot] = b + 1;
  return b;
}

/**
 * The full `-V` line of a node (without indentation): bitfield picture for masked fields,
 * "Name: value", protocol and text labels as they are, generated items in brackets.
 */
export function nodeLabel(p: Packet, node: number): string {
  return writeNodeLabel(labelScratch.clear(), p, node).toString();
}

/** Appends the `-V` label of a node to `out` (no indentation, no newline). */
export function writeNodeLabel(out: TextBuf, p: Packet, node: number): TextBuf {
  writeLabel(out, p, node, -1);
  return out;
}

/**
 * Appends the `-V` line of a node: `level` × 4 spaces, the label, a newline. The -V fast path:
 * whole lines of integer and boolean fields are cached per (field, value, context) and copied.
 */
export function writeNodeLine(out: TextBuf, p: Packet, node: number, level: number): void {
  writeLabel(out, p, node, level);
}

function writeLabel(out: TextBuf, p: Packet, node: number, level: number): void {
  const t = p.tree;
  const fid = t.fid[node]!;
  if (fid === TEXT_FIELD) {
    writeTextLine(out, p, node, level);
    return;
  }
  let kind = fid < hotKind.length ? hotKind[fid]! : -1;
  if (kind < 0) kind = initHot(fid);
  const flags = t.flags[node]!;
  if (kind === K_KEYED) {
    writeKeyedLine(out, p, node, level, fid, flags);
    return;
  }
  if (kind === K_OTHER || flags & HAS_STR) {
    renderLine(out, p, node, level, NaN, -1, -1);
    return;
  }
  // the hot path: the line of this (field, value, context) is usually cached. Integers and
  // booleans of up to 4 bytes are read here (as nodeNumber would), with the mask and shift from
  // flat per-field tables (no FieldDef access).
  const off = t.off[node]!;
  const len = t.len[node]!;
  const hasMask = hotHasMask[fid]! !== 0;
  if ((kind === K_UINT || kind === K_BOOL) && (flags & HAS_NUM) === 0 && len > 0 && len <= 4 && off >= 0 && off + len <= p.caplen && level >= 0 && level < MAX_CACHED_LEVEL) {
    // the commonest case in integer arithmetic: a value below 256 from the bytes
    const d = p.data;
    let i = p.base + off;
    let raw = d[i++]!;
    for (let k = 1; k < len; k++) raw = ((raw << 8) | d[i++]!) >>> 0;
    const iv = kind === K_UINT ? (hasMask ? (raw & hotMask[fid]!) >>> hotShift[fid]! : raw) : (hasMask ? raw & hotMask[fid]! : raw) !== 0 ? 1 : 0;
    if (iv < 256) {
      const slot = (fid << 5) | (((flags & GENERATED ? 2 : 0) | (hasMask ? 1 : 0)) << 3) | level;
      let block = ctxBlock[slot]! - 1;
      if (block < 0) block = newBlock(slot);
      const smallIx = (block << 8) + iv;
      const id = small[smallIx]! - 1;
      if (id >= 0) putLine(out, id);
      else renderLine(out, p, node, level, iv, smallIx, -1);
      return;
    }
  }
  // v: the field's number (NaN for K_PLAIN / K_ETHER, whose text is not a number); key: the cache key
  let v = NaN;
  let key: number;
  if (kind === K_UINT || kind === K_BOOL) {
    if (flags & HAS_NUM) v = kind === K_BOOL ? (t.num[node] ? 1 : 0) : t.num[node]!;
    else if (len > 0 && len <= 4 && off >= 0 && off + len <= p.caplen) {
      const d = p.data;
      let i = p.base + off;
      let raw = d[i++]!;
      for (let k = 1; k < len; k++) raw = raw * 256 + d[i++]!;
      if (kind === K_UINT) v = hasMask ? (raw & hotMask[fid]!) >>> hotShift[fid]! : raw;
      else v = (hasMask ? raw & hotMask[fid]! : raw) !== 0 ? 1 : 0;
    } else {
      v = nodeNumber(p, node);
      if (kind === K_BOOL && !Number.isNaN(v)) v = v ? 1 : 0;
    }
    key = v;
  } else if (kind === K_INT) key = v = nodeNumber(p, node);
  else if (kind === K_PLAIN) key = t.strs[node] === undefined ? 0 : NaN;
  else key = etherKey(p, node);
  if (level < 0 || level >= MAX_CACHED_LEVEL || !(key >= 0)) {
    renderLine(out, p, node, level, v, -1, -1);
    return;
  }
  const hasBits = hasMask && off >= 0 && len > 0 ? 1 : 0;
  const slot = (fid << 5) | (((flags & GENERATED ? 2 : 0) | hasBits) << 3) | level;
  let block = ctxBlock[slot]! - 1;
  if (block < 0) block = newBlock(slot);
  if (key < 256 && (key | 0) === key) {
    const smallIx = (block << 8) + key;
    const id = small[smallIx]! - 1;
    if (id >= 0) putLine(out, id);
    else renderLine(out, p, node, level, v, smallIx, -1);
    return;
  }
  const info = lineInfos[fid]!;
  if (info.bigMisses < BIG_MISS_LIMIT) {
    // larger values (ethertypes, ports, lengths): a bounded map, given up for fields whose
    // values keep changing (checksums, identifications)
    const id = bigFind(block, key);
    if (id >= 0) {
      putLine(out, id);
      return;
    }
    if (bigCount[block]! < BIG_CACHE_MAX) {
      renderLine(out, p, node, level, v, -1, block, key);
      return;
    }
    info.bigMisses++;
  }
  renderLine(out, p, node, level, v, -1, -1);
}

/** The 6 bytes of a MAC address node as a number (exact: 48 bits), or NaN when not all captured. */
function etherKey(p: Packet, node: number): number {
  const t = p.tree;
  const off = t.off[node]!;
  if (off < 0 || off + 6 > p.caplen) return NaN;
  const d = p.data;
  const i = p.base + off;
  return ((d[i]! << 8) | d[i + 1]!) * 4294967296 + (((d[i + 2]! << 24) | (d[i + 3]! << 16) | (d[i + 4]! << 8) | d[i + 5]!) >>> 0);
}

// ---------------------------------------------------------------------------- keyed lines
//
// Lines whose text is determined by the field, the context (generated, level) and a key of bytes:
// a label writer or compute() declared with keyedLine (src/engine/label.ts), and fields without
// compute() whose text is their bytes (addresses, strings, the first bytes of a bytes field) or
// a stored time. They are kept in a hash table over (field, context, key) and copied on later
// frames; a field whose keys keep changing (identifiers, payloads) stops being kept.

/** The key function of each K_KEYED field whose key has no shape the writer reads itself (KK_FN). */
const keyFns: (LineKey | undefined)[] = [];
const lineKey = new LineKeyBuf();

/** Bytes, at most, of a string field's value used as a key. */
const KEY_VALUE_MAX = 64;

// Keys, per field (set up with hotKind): the kind of key, conditions on the node, and for byte
// keys their place (see KeyShape in src/engine/label.ts).
const KK_FN = 0; // call keyFns[fid]
const KK_BYTES = 1; // kStart / kCount / kNeed: count bytes at start from the node, its first need bytes captured
const KK_NUM = 2; // the stored number
const KK_STACK = 3; // the protocol stack
const KK_BYTES_FIELD = 4; // a bytes field's shown bytes, and whether there are more
const KK_STRING_FIELD = 5; // a string field's captured bytes
const KK_NODE = 6; // the node's bytes, at most kCount of them, all captured
/** kCond bits: the line is kept only for nodes without a string of their own / without HAS_STR and HAS_NUM / with HAS_NUM and not HAS_STR. */
const C_NO_STRING = 1;
const C_NO_VALUE = 2;
const C_NUM_ONLY = 4;
let kKind = new Uint8Array(1024);
let kCond = new Uint8Array(1024);
let kStart: Int32Array = new Int32Array(1024);
let kCount: Int32Array = new Int32Array(1024);
let kNeed: Int32Array = new Int32Array(1024);

interface KeySpec {
  kind: number;
  cond: number;
  start: number;
  count: number;
  need: number;
  fn: LineKey | undefined;
}

/** A key declared with keyedLine, kept on nodes that meet `cond`. */
function declaredKey(key: LineKey, cond: number): KeySpec {
  const shape = keyShape(key);
  if (shape === undefined) return { kind: KK_FN, cond, start: 0, count: 0, need: 0, fn: key };
  const kind = shape.kind === 'bytes' ? KK_BYTES : shape.kind === 'node' ? KK_NODE : shape.kind === 'num' ? KK_NUM : KK_STACK;
  return { kind, cond, start: shape.start, count: shape.count, need: shape.need, fn: undefined };
}

/**
 * The key of a field's lines, or undefined when they are not kept by key: a label writer, or the
 * compute() of a protocol or string field, declared with keyedLine (the compute()'s text shows
 * unless the node has a string of its own); fields without compute() whose text is their bytes
 * (addresses, strings, the first bytes of a bytes field) or a stored time.
 */
function keySpecFor(def: FieldDef): KeySpec | undefined {
  if (def.label !== undefined) {
    const k = lineKeyOf(def.label);
    return k === undefined ? undefined : declaredKey(k, 0);
  }
  if (def.compute !== undefined) {
    const k = lineKeyOf(def.compute);
    if (k === undefined) return undefined;
    if (def.type === 'protocol') return def.id === BUILTIN.malformed || def.id === BUILTIN.short ? undefined : declaredKey(k, C_NO_STRING);
    if (def.type === 'string' && def.mask === 0) return declaredKey(k, C_NO_VALUE);
    return undefined;
  }
  if (def.mask !== 0) return undefined;
  switch (def.type) {
    case 'ipv4':
    case 'ipv6': {
      const n = def.type === 'ipv4' ? 4 : 16;
      return { kind: KK_BYTES, cond: C_NO_VALUE, start: 0, count: n, need: n, fn: undefined };
    }
    case 'string':
      return { kind: KK_STRING_FIELD, cond: C_NO_VALUE, start: 0, count: 0, need: 0, fn: undefined };
    case 'bytes':
      return { kind: KK_BYTES_FIELD, cond: C_NO_VALUE, start: 0, count: 0, need: 0, fn: undefined };
    case 'rel_time':
      return { kind: KK_NUM, cond: C_NUM_ONLY, start: 0, count: 0, need: 0, fn: undefined };
  }
  return undefined;
}

/** Sets up the key of field `fid`; returns whether its lines are kept by key (K_KEYED). */
function setKey(fid: number, def: FieldDef): boolean {
  if (fid >= kKind.length) {
    const n = Math.max(fid + 1, kKind.length * 2);
    const kk = new Uint8Array(n);
    kk.set(kKind);
    kKind = kk;
    const kc = new Uint8Array(n);
    kc.set(kCond);
    kCond = kc;
    kStart = growInt32(kStart, n);
    kCount = growInt32(kCount, n);
    kNeed = growInt32(kNeed, n);
  }
  const spec = keySpecFor(def);
  if (spec === undefined) return false;
  if (fid >= keyFns.length) keyFns.length = fid + 1;
  keyFns[fid] = spec.fn;
  kKind[fid] = spec.kind;
  kCond[fid] = spec.cond;
  kStart[fid] = spec.start;
  kCount[fid] = spec.count;
  kNeed[fid] = spec.need;
  return true;
}

/** Appends the key of a node of K_KEYED field `fid` to `k`; false when its line is not kept by key. */
function buildKey(p: Packet, node: number, fid: number, flags: number, k: LineKeyBuf): boolean {
  const cond = kCond[fid]!;
  if (cond !== 0) {
    if ((cond & C_NO_STRING) !== 0 && p.tree.strs[node] !== undefined) return false;
    if ((cond & C_NO_VALUE) !== 0 && (flags & (HAS_STR | HAS_NUM)) !== 0) return false;
    if ((cond & C_NUM_ONLY) !== 0 && (flags & (HAS_STR | HAS_NUM)) !== HAS_NUM) return false;
  }
  const t = p.tree;
  switch (kKind[fid]!) {
    case KK_BYTES: {
      const off = t.off[node]!;
      const caplen = p.caplen;
      const from = off + kStart[fid]!;
      const n = kCount[fid]!;
      if (off < 0 || off + kNeed[fid]! > caplen || from < 0 || from + n > caplen) return false;
      return k.bytes(p.data, p.base + from, n);
    }
    case KK_NODE: {
      const off = t.off[node]!;
      const len = t.len[node]!;
      if (off < 0 || len < 0 || len > kCount[fid]! || off + len > p.caplen) return false;
      return k.bytes(p.data, p.base + off, len);
    }
    case KK_NUM:
      k.num(t.num[node]!);
      return true;
    case KK_STACK:
      for (let i = 0; i < p.nprotos; i++) k.num(p.protos[i]!);
      return true;
    case KK_BYTES_FIELD: {
      // what the line shows: the first BYTES_LABEL_MAX captured bytes, and whether there are more
      const off = t.off[node]!;
      const len = Math.min(t.len[node]!, Math.max(0, p.caplen - off));
      if (off < 0 || len <= 0) return false;
      const n = Math.min(len, BYTES_LABEL_MAX);
      if (!k.bytes(p.data, p.base + off, n)) return false;
      k.byte(len > BYTES_LABEL_MAX ? 1 : 0);
      return true;
    }
    case KK_STRING_FIELD: {
      const off = t.off[node]!;
      if (off < 0) return false;
      const n = Math.min(off + t.len[node]!, p.caplen) - off;
      return n >= 0 && n <= KEY_VALUE_MAX && k.bytes(p.data, p.base + off, n);
    }
  }
  return keyFns[fid]!(p, node, k);
}

const KT_BITS = 14;
const KT_MASK = (1 << KT_BITS) - 1;
/** Entries of the keyed-line table, at most (half its slots). */
const KT_MAX = 1 << (KT_BITS - 1);
/** Entries per field, at most. */
const KT_FIELD_MAX = 1 << 11;
/**
 * Slots, two words each: the entry's hash, and 1 + the offset of its record in ktRecs (0: free).
 * A record: (field, context), key length in bytes, line number in ktLines, the key's words.
 */
const ktSlots = new Int32Array(2 << KT_BITS);
let ktCount = 0;
let ktRecs: Int32Array = new Int32Array(1 << 16);
let ktRecsPos = 0;
const ktLines: Uint8Array[] = [];
/** Per field: entries, lookups that found a line, lookups that did not, and 1 once given up. */
let kfCount: Int32Array = new Int32Array(1024);
let kfHits: Int32Array = new Int32Array(1024);
let kfMisses: Int32Array = new Int32Array(1024);
let kfOff = new Uint8Array(1024);
/**
 * A field stops being kept once it has missed this many times and more than once in eight
 * lookups (its keys keep changing: a lookup would cost more than it saves).
 */
const KEYED_MISS_CHECK = 1024;

function growInt32(a: Int32Array, n: number): Int32Array {
  const b = new Int32Array(Math.max(n, a.length * 2));
  b.set(a);
  return b;
}

/** The line of a K_KEYED field: copied when its (field, context, key) was seen, else built and kept. */
function writeKeyedLine(out: TextBuf, p: Packet, node: number, level: number, fid: number, flags: number): void {
  if (fid >= kfOff.length) {
    const n = Math.max(fid + 1, kfOff.length * 2);
    kfCount = growInt32(kfCount, n);
    kfHits = growInt32(kfHits, n);
    kfMisses = growInt32(kfMisses, n);
    const o = new Uint8Array(n);
    o.set(kfOff);
    kfOff = o;
  }
  const k = lineKey;
  k.len = 0;
  if (level < 0 || level >= MAX_CACHED_LEVEL || kfOff[fid] !== 0 || !buildKey(p, node, fid, flags, k)) {
    renderLine(out, p, node, level, NaN, -1, -1);
    return;
  }
  // zero the key up to a whole word, then hash (field, context) and the words
  const klen = k.len;
  const kb = k.buf;
  for (let i = klen; (i & 3) !== 0; i++) kb[i] = 0;
  const nw = (klen + 3) >>> 2;
  const kw = k.words;
  const ctx = (fid << 4) | (flags & GENERATED ? 8 : 0) | level;
  let h = Math.imul(ctx ^ (klen << 20), 0x9e3779b1);
  for (let i = 0; i < nw; i++) {
    h = Math.imul(h ^ kw[i]!, 0x85ebca6b);
    h ^= h >>> 13;
  }
  h = Math.imul(h ^ (h >>> 16), 0xc2b2ae35);
  h ^= h >>> 16;
  const slots = ktSlots;
  const recs = ktRecs;
  let slot = (h & KT_MASK) << 1;
  for (;;) {
    const r = slots[slot + 1]! - 1;
    if (r < 0) break;
    if (slots[slot] === h && recs[r] === ctx && recs[r + 1] === klen) {
      let i = 0;
      while (i < nw && recs[r + 3 + i] === kw[i]) i++;
      if (i === nw) {
        putLine(out, KEYED_IDS + recs[r + 2]!);
        kfHits[fid]++;
        return;
      }
    }
    slot = (slot + 2) & (KT_MASK * 2 + 1);
  }
  if (runN !== 0 && out === queueOut) flushRun(out);
  const start = out.len;
  renderLine(out, p, node, level, NaN, -1, -1);
  const misses = ++kfMisses[fid]!;
  if (misses >= KEYED_MISS_CHECK && misses * 8 > kfHits[fid]!) {
    kfOff[fid] = 1;
    return;
  }
  if (kfCount[fid]! >= KT_FIELD_MAX) return;
  if (ktCount >= KT_MAX) {
    // (not while lines are queued: the queue names keyed lines by id)
    if (runN !== 0) return;
    // full (of lines of fields given up since, mostly): start again
    ktSlots.fill(0);
    ktCount = 0;
    ktRecsPos = 0;
    ktLines.length = 0;
    keyedSlabs.renew();
    kfCount.fill(0);
    // (runs name keyed lines by id)
    resetRuns();
    slot = (h & KT_MASK) << 1;
  }
  // keep it in the free slot the probe ended on
  if (ktRecsPos + 3 + nw > ktRecs.length) ktRecs = growInt32(ktRecs, ktRecsPos + 3 + nw);
  const r = ktRecsPos;
  const rs = ktRecs;
  rs[r] = ctx;
  rs[r + 1] = klen;
  rs[r + 2] = ktCount;
  for (let i = 0; i < nw; i++) rs[r + 3 + i] = kw[i]!;
  ktRecsPos = r + 3 + nw;
  ktLines[ktCount++] = keyedSlabs.keep(out, start, out.len);
  slots[slot] = h;
  slots[slot + 1] = r + 1;
  kfCount[fid]++;
}

// ---------------------------------------------------------------------------- runs of lines
//
// In the -V walk (queueLines), cached lines are not copied one by one: their ids are queued,
// and a run of consecutive cached lines is copied at once, from a table of runs seen before
// (the run of an Ethernet header, of GRE flags, …), else line by line. Any other write to the
// output flushes the queue first (renderLine, text lines, flushLines).

/** The output of the -V walk while it queues lines (null: none); other outputs are written directly. */
let queueOut: TextBuf | null = null;
let runN = 0;
let runIds: Int32Array = new Int32Array(1024);
const RUN_SEED = 0x2545f491;
let runHash = RUN_SEED;

const RT_BITS = 13;
const RT_MASK = (1 << RT_BITS) - 1;
/** Runs kept, at most (half the slots); the table starts again when full. */
const RT_MAX = 1 << (RT_BITS - 1);
/** Slots, two words each: the run's hash, 1 + the offset of its record in rtRecs (0: free). A record: line count, run number, the line ids. */
const rtSlots = new Int32Array(2 << RT_BITS);
let rtRecs: Int32Array = new Int32Array(1 << 15);
let rtRecsPos = 0;
const rtLines: Uint8Array[] = [];
let rtHits = 0;
let rtMisses = 0;
/** Set once runs miss more often than they hit (after RUN_MISS_CHECK misses): lines are then copied one by one. */
let rtOff = false;
const RUN_MISS_CHECK = 4096;

function resetRuns(): void {
  rtSlots.fill(0);
  rtRecsPos = 0;
  rtLines.length = 0;
  runSlabs.renew();
}

/** Writes (or, in the -V walk, queues) cached line `id`. */
function putLine(out: TextBuf, id: number): void {
  if (out === queueOut && !rtOff) {
    if (runN === runIds.length) runIds = growInt32(runIds, runN + 1);
    runIds[runN++] = id;
    runHash = Math.imul(runHash ^ id, 0x85ebca6b) ^ (runHash >>> 15);
    return;
  }
  copyLine(out, lineBytes(id));
}

function copyLine(out: TextBuf, line: Uint8Array): void {
  const n = line.length;
  if (out.len + n > out.buf.length) reserve(out, n);
  out.buf.set(line, out.len);
  out.len += n;
}

/** Writes the queued lines. */
function flushRun(out: TextBuf): void {
  const n = runN;
  runN = 0;
  let h = runHash;
  runHash = RUN_SEED;
  if (n === 1) {
    copyLine(out, lineBytes(runIds[0]!));
    return;
  }
  h = Math.imul(h ^ n ^ (h >>> 16), 0xc2b2ae35);
  h ^= h >>> 13;
  const ids = runIds;
  const recs = rtRecs;
  let slot = (h & RT_MASK) << 1;
  for (;;) {
    const r = rtSlots[slot + 1]! - 1;
    if (r < 0) break;
    if (rtSlots[slot] === h && recs[r] === n) {
      let i = 0;
      while (i < n && recs[r + 2 + i] === ids[i]) i++;
      if (i === n) {
        copyLine(out, rtLines[recs[r + 1]!]!);
        rtHits++;
        return;
      }
    }
    slot = (slot + 2) & ((RT_MASK << 1) | 1);
  }
  const start = out.len;
  for (let i = 0; i < n; i++) copyLine(out, lineBytes(ids[i]!));
  if (++rtMisses >= RUN_MISS_CHECK && rtMisses > rtHits) {
    rtOff = true;
    return;
  }
  if (rtLines.length >= RT_MAX) {
    resetRuns();
    slot = (h & RT_MASK) << 1;
  }
  if (rtRecsPos + 2 + n > rtRecs.length) rtRecs = growInt32(rtRecs, rtRecsPos + 2 + n);
  const r = rtRecsPos;
  const rs = rtRecs;
  rs[r] = n;
  rs[r + 1] = rtLines.length;
  for (let i = 0; i < n; i++) rs[r + 2 + i] = ids[i]!;
  rtRecsPos = r + 2 + n;
  rtLines.push(runSlabs.keep(out, start, out.len));
  rtSlots[slot] = h;
  rtSlots[slot + 1] = r + 1;
}

/**
 * Starts (out) or ends (null) the -V walk's queueing of cached lines written to `out` (see
 * putLine). Flush with flushLines before writing to `out` other than through writeNodeLine;
 * ending drops what is queued.
 */
export function queueLines(out: TextBuf | null): void {
  queueOut = out;
  runN = 0;
  runHash = RUN_SEED;
}

/** Writes the queued lines (see queueLines). */
export function flushLines(out: TextBuf): void {
  if (runN !== 0 && out === queueOut) flushRun(out);
}

/**
 * Lines of text-only items, per context (generated, level): a bounded map from the text, given
 * up when the texts keep changing.
 */
const textLines: (Map<string, number> | undefined)[] = new Array(16).fill(undefined);
let textMisses = 0;

/** A text-only item ("[...]" when generated). */
function writeTextLine(out: TextBuf, p: Packet, node: number, level: number): void {
  const gen = (p.tree.flags[node]! & GENERATED) !== 0;
  const s = p.tree.strs[node] ?? '';
  let m: Map<string, number> | undefined;
  if (level >= 0 && level < MAX_CACHED_LEVEL && textMisses < BIG_MISS_LIMIT) {
    const ctx = (gen ? 8 : 0) | level;
    m = textLines[ctx] ?? (textLines[ctx] = new Map());
    const id = m.get(s);
    if (id !== undefined) {
      putLine(out, id);
      return;
    }
    if (m.size >= BIG_CACHE_MAX) {
      textMisses++;
      m = undefined;
    }
  }
  if (runN !== 0 && out === queueOut) flushRun(out);
  const start = out.len;
  if (level > 0) putSpaces(out, level * 4);
  if (gen) out.byte(91);
  out.str(s);
  if (gen) out.byte(93);
  if (level >= 0) out.byte(10);
  if (m !== undefined) m.set(s, newLine(keptSlabs.keep(out, start, out.len)));
}

/**
 * Writes the line of a node (`v`: its number when it is an integer or boolean field without
 * compute(), else NaN) and keeps a copy in `small[smallIx]`, or under (`bigBlock`, `bigValue`), when given.
 */
function renderLine(out: TextBuf, p: Packet, node: number, level: number, v: number, smallIx: number, bigBlock: number, bigValue = v): void {
  if (runN !== 0 && out === queueOut) flushRun(out);
  const t = p.tree;
  const info = lineInfo(t.fid[node]!);
  const def = info.def;
  const flags = t.flags[node]!;
  const gen = (flags & GENERATED) !== 0;
  const start = out.len;
  if (def.label === undefined && def.type !== 'protocol' && def.type !== 'none' && def.mask === 0 && level >= 0 && level < MAX_CACHED_LEVEL) {
    // "Name: value" (the common case): indentation, "[" and name in one copy
    putBytes(out, info.head((gen ? 8 : 0) | level));
    if (info.kind !== K_OTHER && !Number.isNaN(v)) writeNumberLabel(out, info, v, t.len[node]!);
    else writeDisplayValue(out, p, node, info);
  } else {
    if (level > 0) putSpaces(out, level * 4);
    if (gen) out.byte(91);
    renderLabel(out, p, node, v, info, flags);
  }
  if (gen) out.byte(93);
  if (level >= 0) out.byte(10);
  if (smallIx >= 0) small[smallIx] = newLine(keptSlabs.keep(out, start, out.len)) + 1;
  else if (bigBlock >= 0) bigPut(bigBlock, bigValue, newLine(keptSlabs.keep(out, start, out.len)));
}

/** The label of a node (renderLine without indentation, brackets and newline). */
function renderLabel(out: TextBuf, p: Packet, node: number, v: number, info: LineInfo, flags: number): void {
  const t = p.tree;
  const def = info.def;
  if (def.label !== undefined) def.label(p, node, out);
  else if (def.type === 'protocol' || def.type === 'none') {
    const s = t.strs[node];
    if (s !== undefined) out.str(s);
    else if (info.plainLabel) putBytes(out, info.plain);
    else out.str(protocolLabel(p, node, def));
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
    putBytes(out, info.name);
    if (info.kind !== K_OTHER && !Number.isNaN(v)) writeNumberLabel(out, info, v, len);
    else writeDisplayValue(out, p, node, info);
  }
}

/** Appends the tree text of an integer or boolean value (value names, base, unit). */
function writeNumberLabel(out: TextBuf, info: LineInfo, v: number, len: number): void {
  const def = info.def;
  if (def.type === 'boolean') {
    putBytes(out, v ? info.tf0 : info.tf1);
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
  if (info.unit.length) putBytes(out, info.unit);
}

/** Appends the value part of a tree label for every other case. */
function writeDisplayValue(out: TextBuf, p: Packet, node: number, info: LineInfo): void {
  const def = info.def;
  const t = p.tree;
  const flags = t.flags[node]!;
  if (flags & HAS_STR) {
    out.str(t.strs[node] ?? '');
    if (info.unit.length) putBytes(out, info.unit);
    return;
  }
  const computed = def.compute !== undefined && !(flags & HAS_NUM);
  // the cases below write what displayValue() returns, without building the string
  switch (def.type) {
    case 'ipv4':
      // (writeFieldText's cases, without its dispatch)
      if (!computed && !(flags & HAS_NUM)) {
        if (captured(p, node, 4)) putIpv4(out, p.data, p.base + t.off[node]!);
      } else writeFieldText(out, p, node);
      if (info.unit.length) putBytes(out, info.unit);
      return;
    case 'ipv6':
      if (!computed) {
        if (captured(p, node, 16)) out.ipv6(p.data, p.base + t.off[node]!);
      } else writeFieldText(out, p, node);
      if (info.unit.length) putBytes(out, info.unit);
      return;
    case 'ether':
    case 'string':
      writeFieldText(out, p, node);
      if (info.unit.length) putBytes(out, info.unit);
      return;
    case 'rel_time':
      if (computed) writeFieldText(out, p, node);
      else writeRelTime(out, nodeNumber(p, node), 9);
      putBytes(out, SECONDS);
      return;
    case 'abs_time':
      if (computed) writeFieldText(out, p, node);
      else writeAbsTime(out, p, info.epoch);
      if (info.epoch) putBytes(out, SECONDS);
      return;
    case 'bytes': {
      const off = t.off[node]!;
      const len = Math.min(t.len[node]!, Math.max(0, p.caplen - off));
      if (off < 0 || len <= 0) {
        putBytes(out, MISSING);
        return;
      }
      const n = Math.min(len, BYTES_LABEL_MAX);
      if (out.len + 2 * n > out.buf.length) reserve(out, 2 * n);
      const b = out.buf;
      const d = p.data;
      let o = out.len;
      for (let i = p.base + off, end = i + n; i < end; i++) {
        const x = d[i]!;
        b[o++] = HEX_DIGITS[x >>> 4]!;
        b[o++] = HEX_DIGITS[x & 15]!;
      }
      out.len = o;
      if (len > BYTES_LABEL_MAX) putBytes(out, ELLIPSIS);
      return;
    }
  }
  out.str(displayValue(p, node));
}
