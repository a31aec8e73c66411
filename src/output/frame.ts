/**
 * `Frame`: the library's view of one dissected frame. It wraps the reused engine Packet, so it
 * is valid only until the next frame is dissected: read what you need inside the callback, or
 * `snapshot()` it. Field reads by name resolve the name once (cached) and scan the flat table.
 */
import { fieldByName, fieldDef, type FieldDef } from '../engine/fields.js';
import { GENERATED, HAS_NUM, HIDDEN, TEXT_FIELD, type Packet } from '../engine/packet.js';
import { expertDef, type ExpertGroup, type ExpertSeverity } from '../engine/expert.js';
import { nodeBytes, nodeNumber, nodeString, readUint } from '../engine/values.js';
import { TextBuf } from '../engine/textbuf.js';
import { GretoolError } from '../errors.js';
import { displayValue, fieldText, nodeLabel } from './format.js';
import { TreeIndex } from './treeindex.js';
import { DetailWriter, expertMessage, expertShown } from './detail.js';
import { SummaryWriter } from './summary.js';
import { TimeColumn, type TimeFormat } from './timefmt.js';
import { writeHexDump } from './hexdump.js';
import type { Pipeline } from '../engine/pipeline.js';

/** A field value: numbers for integers and times (seconds), booleans, strings for addresses and text, bytes for byte fields. */
export type FieldValue = number | bigint | boolean | string | Uint8Array;

export interface ExpertInfo {
  /** Expert item name, e.g. "ip.checksum_bad.expert" or "gretool.lint.P-GREKEY-BAD-LEN". */
  name: string;
  message: string;
  severity: ExpertSeverity;
  group: ExpertGroup;
  /** Lint rule id, when the item reports one. */
  rule?: string;
  /** Filter name of the item it is about (undefined for the frame). */
  field?: string;
}

export interface TreeNode {
  /** Filter name ("gre.key"); undefined for text-only labels. */
  field?: string;
  /** The tree line, as `-V` shows it. */
  label: string;
  /** `-T fields` text of the value ('' for protocols and labels). */
  text: string;
  /** Typed value (see FieldValue); undefined for protocols and labels. */
  value?: FieldValue;
  /** Offset and length in the frame (offset -1: not in the bytes). */
  offset: number;
  length: number;
  generated: boolean;
  hidden: boolean;
  experts: ExpertInfo[];
  children: TreeNode[];
}

export interface FrameSummary {
  number: number;
  time: string;
  source: string;
  destination: string;
  protocol: string;
  length: number;
  info: string;
}

const nameCache = new Map<string, number>();

/** The registry id of a field name; throws UNKNOWN_FIELD for names gretool does not have. */
export function fieldId(name: string): number {
  let id = nameCache.get(name);
  if (id === undefined) {
    const d = fieldByName(name);
    if (!d) throw new GretoolError('UNKNOWN_FIELD', `unknown field "${name}"`);
    id = d.id;
    nameCache.set(name, id);
  }
  return id;
}

/** The typed value of node `n`. */
export function nodeValue(p: Packet, n: number): FieldValue | undefined {
  const t = p.tree;
  const fid = t.fid[n]!;
  if (fid === TEXT_FIELD) return undefined;
  const def: FieldDef = fieldDef(fid);
  switch (def.type) {
    case 'protocol':
    case 'none':
      return undefined;
    case 'boolean':
      return nodeNumber(p, n) === 1 || (def.compute !== undefined && Number(def.compute(p, n)) === 1);
    case 'ipv4': case 'ipv6': case 'ether': case 'abs_time':
      return fieldText(p, n);
    case 'string': {
      const s = nodeString(p, n);
      if (s !== undefined) return s;
      if (def.compute) return String(def.compute(p, n));
      return '';
    }
    case 'bytes':
      return nodeBytes(p, n).slice();
    case 'rel_time': {
      const ns = def.compute && !(t.flags[n]! & HAS_NUM) ? Number(def.compute(p, n)) : nodeNumber(p, n);
      return ns / 1e9;
    }
    default: {
      if (def.type === 'uint64' && !(t.flags[n]! & HAS_NUM) && t.len[n] === 8 && !def.mask && t.off[n]! >= 0) {
        const hi = readUint(p, t.off[n]!, 4);
        const lo = readUint(p, t.off[n]! + 4, 4);
        // a number while exact, a bigint beyond 2^53
        return hi < 0x200000 ? hi * 4294967296 + lo : (BigInt(hi) << 32n) | BigInt(lo);
      }
      if (def.compute && !(t.flags[n]! & HAS_NUM)) {
        const v = def.compute(p, n);
        return v;
      }
      const v = nodeNumber(p, n);
      return Number.isNaN(v) ? undefined : v;
    }
  }
}

export class Frame {
  private readonly ix = new TreeIndex();
  private summaryWriter: SummaryWriter | null = null;
  private readonly tb = new TextBuf(256);

  constructor(
    /** The engine's reused packet (advanced use: the flat field table, columns, experts). */
    readonly packet: Packet,
    private readonly timeFormat: () => TimeColumn = () => new TimeColumn('r'),
    /**
     * The pipeline that dissected the packet: when the packet was dissected with only some
     * fields (DissectOptions.fields), reading anything else dissects the frame again in full.
     */
    private readonly pipeline: Pipeline | null = null,
  ) {}

  /** Makes sure field `id` is materialised (dissects again in full if it was left out). */
  private need(id: number): Packet {
    const p = this.packet;
    const w = p.want;
    if (w !== null && (w[id]! & 1) === 0) this.full();
    return p;
  }

  /** Makes sure the whole tree and the columns are there (dissects again in full if not). */
  private full(): Packet {
    const p = this.packet;
    if ((p.want !== null || !p.colsOn) && this.pipeline !== null) this.pipeline.redissect(null, true);
    return p;
  }

  get number(): number {
    return this.packet.number;
  }
  /** Seconds since the epoch and nanoseconds within the second. */
  get timestamp(): { sec: number; nsec: number } {
    return { sec: this.packet.tsSec, nsec: this.packet.tsNsec };
  }
  get capturedLength(): number {
    return this.packet.caplen;
  }
  get originalLength(): number {
    return this.packet.origlen;
  }
  get linkType(): number {
    return this.packet.linkType;
  }
  get interfaceId(): number {
    return this.packet.interfaceId;
  }
  /** True when a layer found the frame malformed ("[Malformed Packet]" in the summary). */
  get malformed(): boolean {
    return this.packet.cols.malformed;
  }
  /** Protocol stack, e.g. ["frame", "eth", "ethertype", "ip", "gre", "ip", "udp"]. */
  get protocols(): string[] {
    const p = this.packet;
    const out: string[] = [];
    for (let i = 0; i < p.nprotos; i++) out.push(fieldDef(p.protos[i]!).abbrev);
    return out;
  }
  /** A copy of the captured bytes. */
  bytes(): Uint8Array {
    const p = this.packet;
    return p.data.slice(p.base, p.base + p.caplen);
  }

  /** True when the frame has field `name`. */
  has(name: string): boolean {
    const id = fieldId(name);
    const t = this.need(id).tree;
    for (let i = 0; i < t.count; i++) if (t.fid[i] === id) return true;
    return false;
  }
  /** Value of the first occurrence of `name` (undefined when absent). */
  get(name: string): FieldValue | undefined {
    const id = fieldId(name);
    const t = this.need(id).tree;
    for (let i = 0; i < t.count; i++) if (t.fid[i] === id) return nodeValue(this.packet, i);
    return undefined;
  }
  /** Values of every occurrence of `name`, in tree order. */
  all(name: string): FieldValue[] {
    const id = fieldId(name);
    const t = this.need(id).tree;
    const out: FieldValue[] = [];
    for (let i = 0; i < t.count; i++) {
      if (t.fid[i] !== id) continue;
      const v = nodeValue(this.packet, i);
      if (v !== undefined) out.push(v);
    }
    return out;
  }
  /** tshark `-T fields` text of the first occurrence of `name`. */
  text(name: string): string | undefined {
    const id = fieldId(name);
    const t = this.need(id).tree;
    for (let i = 0; i < t.count; i++) if (t.fid[i] === id) return fieldText(this.packet, i);
    return undefined;
  }
  /** tshark `-T fields` texts of every occurrence of `name`. */
  texts(name: string): string[] {
    const id = fieldId(name);
    const t = this.need(id).tree;
    const out: string[] = [];
    for (let i = 0; i < t.count; i++) if (t.fid[i] === id) out.push(fieldText(this.packet, i));
    return out;
  }
  /** Display text ("IPv4 (0x0800)", "Set") of the first occurrence of `name`. */
  display(name: string): string | undefined {
    const id = fieldId(name);
    const t = this.need(id).tree;
    for (let i = 0; i < t.count; i++) if (t.fid[i] === id) return displayValue(this.packet, i);
    return undefined;
  }

  /** Expert items of the frame (malformed, checksum, lint rules ...). */
  experts(): ExpertInfo[] {
    const p = this.full();
    const out: ExpertInfo[] = [];
    for (let i = 0; i < p.experts.count; i++) out.push(this.expertInfo(i));
    return out;
  }

  private expertInfo(i: number): ExpertInfo {
    const p = this.packet;
    const def = expertDef(p.experts.id[i]!);
    const node = p.experts.node[i]!;
    const info: ExpertInfo = { name: def.abbrev, message: expertMessage(p, i), severity: def.severity, group: def.group };
    if (def.rule) info.rule = def.rule;
    if (node >= 0 && node < p.tree.count && p.tree.fid[node]! >= 0) info.field = fieldDef(p.tree.fid[node]!).abbrev;
    return info;
  }

  /**
   * The protocol tree as objects (the slow path: builds everything). Hidden items are included,
   * flagged. With `jsonSafe`, bigint values become decimal strings and bytes hex strings.
   */
  tree(jsonSafe = false): TreeNode[] {
    const p = this.full();
    const ix = this.ix.build(p);
    const t = p.tree;
    const build = (n: number): TreeNode => {
      const fid = t.fid[n]!;
      const node: TreeNode = {
        label: nodeLabel(p, n),
        text: fid === TEXT_FIELD ? '' : fieldText(p, n),
        offset: t.off[n]!,
        length: t.len[n]!,
        generated: (t.flags[n]! & GENERATED) !== 0,
        hidden: (t.flags[n]! & HIDDEN) !== 0,
        experts: [],
        children: [],
      };
      if (fid !== TEXT_FIELD) {
        node.field = fieldDef(fid).abbrev;
        const v = nodeValue(p, n);
        if (v !== undefined) node.value = jsonSafe ? safe(v) : v;
      }
      for (let e = ix.expFirst[n]!; e >= 0; e = ix.expNext[e]!) if (expertShown(p, e)) node.experts.push(this.expertInfo(e));
      for (let c = ix.firstChild[n]!; c >= 0; c = ix.nextSibling[c]!) node.children.push(build(c));
      return node;
    };
    const roots: TreeNode[] = [];
    for (let n = ix.firstRoot; n >= 0; n = ix.nextSibling[n]!) roots.push(build(n));
    return roots;
  }

  /** The summary columns (tshark's No., Time, Source, Destination, Protocol, Length, Info). */
  summary(): FrameSummary {
    const p = this.full();
    const tb = this.tb.clear();
    this.timeFormat().write(tb, p);
    return {
      number: p.number,
      time: tb.toString(),
      source: p.cols.src.toString(),
      destination: p.cols.dst.toString(),
      protocol: p.cols.proto,
      length: p.origlen,
      info: p.cols.info.toString(),
    };
  }

  /** The summary line as `gretool dissect` prints it (no newline). */
  summaryLine(): string {
    this.full();
    if (!this.summaryWriter) this.summaryWriter = new SummaryWriter(this.timeFormat());
    const tb = this.tb.clear();
    this.summaryWriter.line(tb, this.packet);
    return tb.toString();
  }

  /** The `-V` tree text (lines end with "\n"). */
  detailText(): string {
    const tb = new TextBuf(4096);
    new DetailWriter().write(tb, this.full());
    return tb.toString();
  }

  /** The `-x` hex dump text. */
  hexDump(): string {
    const p = this.packet;
    const tb = new TextBuf(p.caplen * 5 + 64);
    writeHexDump(tb, p.data, p.base, p.caplen);
    return tb.toString();
  }

  /** A detached copy of the frame's tree and summary, valid after the next frame. */
  snapshot(): FrameSnapshot {
    this.full();
    return {
      number: this.number,
      timestamp: this.timestamp,
      capturedLength: this.capturedLength,
      originalLength: this.originalLength,
      linkType: this.linkType,
      protocols: this.protocols,
      summary: this.summary(),
      experts: this.experts(),
      tree: this.tree(true),
    };
  }
}

function safe(v: FieldValue): FieldValue {
  if (typeof v === 'bigint') return v.toString();
  if (v instanceof Uint8Array) return Buffer.from(v).toString('hex');
  return v;
}

/** A detached, JSON-safe copy of a frame (bigints as decimal strings, bytes as hex). */
export interface FrameSnapshot {
  number: number;
  timestamp: { sec: number; nsec: number };
  capturedLength: number;
  originalLength: number;
  linkType: number;
  protocols: string[];
  summary: FrameSummary;
  experts: ExpertInfo[];
  tree: TreeNode[];
}

/** The time-column factory type used by Frame (a TimeColumn per format). */
export function timeColumnFactory(format: TimeFormat, digits: number[], deltaFid: number): () => TimeColumn {
  let col: TimeColumn | null = null;
  return () => (col ??= new TimeColumn(format, digits, deltaFid));
}
