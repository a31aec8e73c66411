/**
 * `-T json` and `-T ek` in tshark 4.0's shapes, derived from the registry alone.
 *
 * json: an array of {"_index","_type","_score","_source":{"layers":{…}}}; every node is a
 * member keyed by its filter name (text items by their label) with its `-T fields` text as a
 * string; a node with children adds "<key>_tree" (or is an object itself when it has no value,
 * as protocols); expert items are "_ws.expert" objects inside the item they are about. With
 * `-e`, "layers" holds only those fields, each as an array of strings.
 *
 * ek: per packet an index line and a document line; keys are "<protocol>_<field>" with dots
 * replaced by underscores, fields flattened into their protocol's object, repeated keys
 * gathered into arrays, booleans as true/false, absolute times in ISO 8601.
 */
import { fieldByName, fieldDef } from '../engine/fields.js';
import { TEXT_FIELD, type Packet } from '../engine/packet.js';
import { expertDef, type ExpertGroup, type ExpertSeverity } from '../engine/expert.js';
import type { TextBuf } from '../engine/textbuf.js';
import { fieldText, hasValue, protocolLabel, writeFieldText } from './format.js';
import { TreeIndex } from './treeindex.js';
import { expertMessage, expertShown } from './detail.js';
import { nodeNumber } from '../engine/values.js';
import { putBytes } from './buf.js';

/** Wireshark's PI_* severity and group numbers (as printed in _ws.expert.severity / .group). */
export const SEVERITY_CODE: Record<ExpertSeverity, number> = { chat: 0x200000, note: 0x400000, warning: 0x600000, error: 0x800000 };
export const GROUP_CODE: Record<ExpertGroup, number> = {
  checksum: 0x1000000,
  sequence: 0x2000000,
  undecoded: 0x5000000,
  reassemble: 0x6000000,
  malformed: 0x7000000,
  debug: 0x8000000,
  protocol: 0x9000000,
  comment: 0xb000000,
};

function q(s: string): string {
  return JSON.stringify(s);
}

/** "packets-YYYY-MM-DD" in local time, as tshark's _index. */
export function indexName(sec: number): string {
  const d = new Date(sec * 1000);
  return `packets-${d.getFullYear()}-${String(d.getMonth() + 1).padStart(2, '0')}-${String(d.getDate()).padStart(2, '0')}`;
}

/** A pretty printer that reproduces tshark's json_dumper layout (2-space indent). */
class Pretty {
  /** Members written so far in each open container. */
  private readonly counts: number[] = [];
  private pendingKey = false;
  out!: TextBuf;
  private nl(): void {
    const o = this.out;
    o.byte(10);
    for (let i = 0; i < this.counts.length; i++) o.byte(32).byte(32);
  }
  /** Separator before a new member or element (none right after a key). */
  private before(): void {
    if (this.pendingKey) {
      this.pendingKey = false;
      return;
    }
    const n = this.counts.length;
    if (n === 0) return;
    if (this.counts[n - 1]! > 0) this.out.byte(44);
    this.counts[n - 1]!++;
    this.nl();
  }
  key(k: string): this {
    this.before();
    this.out.str(q(k)).byte(58).byte(32);
    this.pendingKey = true;
    return this;
  }
  raw(v: string): this {
    this.before();
    this.out.str(v);
    return this;
  }
  str(v: string): this {
    return this.raw(q(v));
  }
  /** A key given as its quoted bytes ('"name": ', see fieldKey). */
  keyBytes(k: Uint8Array): this {
    this.before();
    putBytes(this.out, k);
    this.pendingKey = true;
    return this;
  }
  /** The `-T fields` text of node `n` as a JSON string (writeJsonFieldText). */
  fieldStr(p: Packet, n: number, bytesSep: number): this {
    this.before();
    writeJsonFieldText(this.out, p, n, bytesSep);
    return this;
  }
  open(c: '{' | '['): this {
    this.before();
    this.out.str(c);
    this.counts.push(0);
    return this;
  }
  close(c: '}' | ']'): this {
    const n = this.counts.pop()!;
    if (n > 0) this.nl();
    this.out.str(c);
    return this;
  }
}

export interface JsonOptions {
  /** Field ids given with -e: only these, as arrays of strings. */
  fields?: number[];
}

/** Writes `-T json` output frame by frame: `begin()`, `frame(p)` per packet, `end()`. */
export class JsonWriter {
  private readonly ix = new TreeIndex();
  private readonly j = new Pretty();
  constructor(private readonly opts: JsonOptions = {}) {}

  begin(out: TextBuf): void {
    this.j.out = out;
    this.j.open('[');
  }

  end(out: TextBuf): void {
    this.j.out = out;
    this.j.close(']');
    out.byte(10);
  }

  frame(out: TextBuf, p: Packet): void {
    const j = this.j;
    j.out = out;
    j.open('{');
    j.key('_index').raw(indexNameQuoted(p.tsSec));
    j.key('_type').str('doc');
    j.key('_score').raw('null');
    j.key('_source').open('{');
    j.key('layers').open('{');
    if (this.opts.fields) this.fieldsOnly(j, p, this.opts.fields);
    else {
      const ix = this.ix.build(p);
      for (let n = ix.firstRoot; n >= 0; n = ix.nextSibling[n]!) this.node(j, p, n);
      for (let e = ix.frameExpFirst; e >= 0; e = ix.expNext[e]!) if (expertShown(p, e)) this.expert(j, p, e);
    }
    j.close('}');
    j.close('}');
    j.close('}');
  }

  private fieldsOnly(j: Pretty, p: Packet, fields: number[]): void {
    const t = p.tree;
    for (const fid of fields) {
      let any = false;
      for (let i = 0; i < t.count; i++) {
        if (t.fid[i] !== fid) continue;
        if (!any) {
          j.key(fieldDef(fid).abbrev).open('[');
          any = true;
        }
        j.str(fieldText(p, i));
      }
      if (any) j.close(']');
    }
  }

  private node(j: Pretty, p: Packet, n: number): void {
    const t = p.tree;
    const ix = this.ix;
    const fid = t.fid[n]!;
    const key = fid === TEXT_FIELD ? (t.strs[n] ?? '') : fieldDef(fid).abbrev;
    const val = hasValue(p, n);
    let kids = ix.firstChild[n]! >= 0;
    if (!kids) for (let e = ix.expFirst[n]!; e >= 0 && !kids; e = ix.expNext[e]!) kids = expertShown(p, e);
    if (val) j.keyBytes(fieldKey(fid, false)).fieldStr(p, n, 58);
    if (kids) {
      if (fid === TEXT_FIELD) j.key(key);
      else j.keyBytes(fieldKey(fid, val));
      j.open('{');
      for (let e = ix.expFirst[n]!; e >= 0; e = ix.expNext[e]!) if (expertShown(p, e)) this.expert(j, p, e);
      for (let c = ix.firstChild[n]!; c >= 0; c = ix.nextSibling[c]!) this.node(j, p, c);
      j.close('}');
    } else if (!val) {
      j.key(key).str(fid !== TEXT_FIELD && fieldDef(fid).type === 'protocol' ? protocolLabel(p, n) : '');
    }
  }

  private expert(j: Pretty, p: Packet, i: number): void {
    const def = expertDef(p.experts.id[i]!);
    j.key('_ws.expert').open('{');
    j.key(def.abbrev).str('');
    j.key('_ws.expert.message').str(expertMessage(p, i));
    j.key('_ws.expert.severity').str(String(SEVERITY_CODE[def.severity]));
    j.key('_ws.expert.group').str(String(GROUP_CODE[def.group]));
    if (def.rule) j.key('_ws.expert.rule').str(def.rule);
    j.close('}');
  }
}

/** '"abbrev": ' (or '"abbrev_tree": ') of field `fid` as bytes, quoted once. */
const keyCache: (Uint8Array | undefined)[] = [];
function fieldKey(fid: number, tree: boolean): Uint8Array {
  const i = 2 * fid + (tree ? 1 : 0);
  let k = keyCache[i];
  if (k === undefined) {
    const abbrev = fieldDef(fid).abbrev;
    k = keyCache[i] = keyEncoder.encode(q(tree ? abbrev + '_tree' : abbrev) + ': ');
  }
  return k;
}
const keyEncoder = new TextEncoder();

// ---------------------------------------------------------------------------------- ek

function ekName(s: string): string {
  return s.replace(/\./g, '_');
}

/** The protocol a name belongs to (longest registered protocol prefix), or '' . */
function protoPrefix(abbrev: string): string {
  let name = abbrev;
  for (;;) {
    const d = fieldByName(name);
    if (d && d.type === 'protocol') return d.abbrev;
    const dot = name.lastIndexOf('.');
    if (dot < 0) return '';
    name = name.slice(0, dot);
  }
}

/** ISO 8601 UTC with nanoseconds, as tshark ek writes absolute times. */
export function isoTime(sec: number, nsec: number): string {
  const d = new Date(sec * 1000).toISOString(); // 2023-11-14T22:13:20.000Z
  return `${d.slice(0, 19)}.${String(nsec).padStart(9, '0')}Z`;
}

/**
 * Per-field facts of the ek layout, worked out once per field id (the same for every frame):
 * its member name as quoted bytes ('"ip_ip_src":'), the id of its abbreviation (for the
 * grouping keys) and whether it is a protocol. TEXT_FIELD items are "text".
 */
interface EkField {
  name: Uint8Array;
  abbrevId: number;
  proto: boolean;
}
const ekFields: (EkField | undefined)[] = [];
let ekTextField: EkField | undefined;

/** Small ids for strings (abbreviations, parent names and group names of the ek layout). */
const ekStrIds = new Map<string, number>();
const ekStrs: string[] = [];
function ekStrId(s: string): number {
  let id = ekStrIds.get(s);
  if (id === undefined) {
    id = ekStrs.length;
    ekStrIds.set(s, id);
    ekStrs.push(s);
  }
  return id;
}

function ekField(fid: number): EkField {
  if (fid === TEXT_FIELD) return (ekTextField ??= { name: keyEncoder.encode(q('text') + ':'), abbrevId: ekStrId('text'), proto: false });
  let f = ekFields[fid];
  if (f === undefined) {
    const def = fieldDef(fid);
    const proto = def.type === 'protocol';
    const pp = proto ? '' : protoPrefix(def.abbrev);
    f = ekFields[fid] = { name: keyEncoder.encode(q(ekName(pp ? pp + '_' + def.abbrev : def.abbrev)) + ':'), abbrevId: ekStrId(def.abbrev), proto };
  }
  return f;
}

/** The '_ws.expert' pseudo-abbreviation of expert items in the grouping keys. */
const EK_EXPERT = -1;
/**
 * Group id (string id of the group name) of a member with abbreviation `abbrevId` (EK_EXPERT
 * for expert items) under the parent name `parentId`: items of one object with the same group
 * name are gathered into one array member. The name is "parent_abbrev" (just "abbrev" at the
 * top) and "parent__ws.expert" for expert items, as strings: ids of equal strings are equal.
 */
const ekGroups = new Map<number, number>();
function ekGroup(parentId: number, abbrevId: number): number {
  const k = parentId * 0x100000 + (abbrevId + 1);
  let g = ekGroups.get(k);
  if (g === undefined) {
    const parent = ekStrs[parentId]!;
    const name = abbrevId === EK_EXPERT ? parent + '__ws.expert' : parent ? parent + '_' + ekStrs[abbrevId]! : ekStrs[abbrevId]!;
    g = ekStrId(name);
    ekGroups.set(k, g);
  }
  return g;
}

/** The start of an expert item's ek object ('{"<name>":null,"_ws_expert__ws_expert_message":'), per expert id. */
const ekExpertHead: (Uint8Array | undefined)[] = [];

interface EkAttr {
  name: Uint8Array;
  /** node index, or -(expert index) - 2 for expert items */
  items: number[];
}

export class EkWriter {
  private readonly ix = new TreeIndex();
  /** Per group id during one object's fill: index + 1 in its attrs (0: none yet). */
  private groupSlot = new Int32Array(256);
  constructor(private readonly opts: JsonOptions = {}) {}

  frame(out: TextBuf, p: Packet): void {
    out.str('{"index":{"_index":').str(indexNameQuoted(p.tsSec)).str(',"_type":"doc"}}\n');
    out.str('{"timestamp":"').str(String(p.tsSec * 1000 + Math.floor(p.tsNsec / 1e6))).str('","layers":{');
    if (this.opts.fields) {
      const t = p.tree;
      let first = true;
      for (const fid of this.opts.fields) {
        let any = false;
        for (let i = 0; i < t.count; i++) {
          if (t.fid[i] !== fid) continue;
          if (!any) {
            if (!first) out.byte(44);
            first = false;
            out.str(q(ekName(fieldDef(fid).abbrev))).str(':[');
            any = true;
          } else out.byte(44);
          out.str(q(fieldText(p, i)));
        }
        if (any) out.byte(93);
      }
    } else {
      const ix = this.ix.build(p);
      const roots: number[] = [];
      for (let n = ix.firstRoot; n >= 0; n = ix.nextSibling[n]!) roots.push(n);
      const frameExperts: number[] = [];
      for (let e = ix.frameExpFirst; e >= 0; e = ix.expNext[e]!) if (expertShown(p, e)) frameExperts.push(e);
      this.object(out, p, roots, frameExperts, ekStrId(''));
    }
    out.str('}}\n');
  }

  /** Writes the members of an ek object made of the given sibling nodes and expert items. */
  private object(out: TextBuf, p: Packet, nodes: number[], experts: number[], parentId: number): void {
    const attrs: EkAttr[] = [];
    const used: number[] = [];
    this.fill(p, attrs, used, nodes, experts, parentId);
    const slot = this.groupSlot;
    for (const g of used) slot[g] = 0;
    for (let a = 0; a < attrs.length; a++) {
      const at = attrs[a]!;
      if (a) out.byte(44);
      putBytes(out, at.name);
      const items = at.items;
      if (items.length > 1) out.byte(91);
      for (let k = 0; k < items.length; k++) {
        if (k) out.byte(44);
        this.value(out, p, items[k]!);
      }
      if (items.length > 1) out.byte(93);
    }
  }

  /** Adds `item` to the member of its group, making the member when the group is new. */
  private add(attrs: EkAttr[], used: number[], group: number, name: Uint8Array, item: number): void {
    if (group >= this.groupSlot.length) {
      const g = new Int32Array(Math.max(group + 1, this.groupSlot.length * 2));
      g.set(this.groupSlot);
      this.groupSlot = g;
    }
    const at = this.groupSlot[group]!;
    if (at !== 0) {
      attrs[at - 1]!.items.push(item);
      return;
    }
    attrs.push({ name, items: [item] });
    this.groupSlot[group] = attrs.length;
    used.push(group);
  }

  /** The members of the nodes and expert items, and of the children of non-protocol nodes, flattened. */
  private fill(p: Packet, attrs: EkAttr[], used: number[], list: number[], exps: number[], parentId: number): void {
    if (exps.length) {
      const g = ekGroup(parentId, EK_EXPERT);
      for (const e of exps) this.add(attrs, used, g, EK_EXPERT_NAME, -e - 2);
    }
    const ix = this.ix;
    for (const n of list) {
      const f = ekField(p.tree.fid[n]!);
      this.add(attrs, used, ekGroup(parentId, f.abbrevId), f.name, n);
      if (f.proto) continue;
      let kids: number[] | null = null;
      for (let c = ix.firstChild[n]!; c >= 0; c = ix.nextSibling[c]!) (kids ??= []).push(c);
      let ke: number[] | null = null;
      for (let e = ix.expFirst[n]!; e >= 0; e = ix.expNext[e]!) if (expertShown(p, e)) (ke ??= []).push(e);
      if (kids !== null || ke !== null) this.fill(p, attrs, used, kids ?? NONE, ke ?? NONE, f.abbrevId);
    }
  }

  private value(out: TextBuf, p: Packet, item: number): void {
    if (item <= -2) {
      const i = -item - 2;
      const eid = p.experts.id[i]!;
      const def = expertDef(eid);
      let head = ekExpertHead[eid];
      if (head === undefined) {
        const pp = protoPrefix(def.abbrev);
        head = ekExpertHead[eid] = keyEncoder.encode(`{${q(ekName((pp ? pp + '_' : '') + def.abbrev))}:null,"_ws_expert__ws_expert_message":`);
      }
      putBytes(out, head);
      out.str(q(expertMessage(p, i)));
      out.str(`,"_ws_expert__ws_expert_severity":"${SEVERITY_CODE[def.severity]}","_ws_expert__ws_expert_group":"${GROUP_CODE[def.group]}"`);
      if (def.rule) out.str(`,"_ws_expert__ws_expert_rule":${q(def.rule)}`);
      out.byte(125);
      return;
    }
    const n = item;
    const t = p.tree;
    const fid = t.fid[n]!;
    if (fid === TEXT_FIELD) {
      out.str(q(t.strs[n] ?? ''));
      return;
    }
    const def = fieldDef(fid);
    switch (def.type) {
      case 'protocol': {
        out.byte(123);
        const kids: number[] = [];
        for (let c = this.ix.firstChild[n]!; c >= 0; c = this.ix.nextSibling[c]!) kids.push(c);
        const ke: number[] = [];
        for (let e = this.ix.expFirst[n]!; e >= 0; e = this.ix.expNext[e]!) if (expertShown(p, e)) ke.push(e);
        this.object(out, p, kids, ke, ekField(fid).abbrevId);
        out.byte(125);
        return;
      }
      case 'none':
        out.str('null');
        return;
      case 'boolean':
        out.str(nodeNumber(p, n) || (def.compute && Number(def.compute(p, n))) ? 'true' : 'false');
        return;
      case 'abs_time':
        if (!def.abbrev.endsWith('epoch')) {
          out.str(q(isoTime(p.tsSec, p.tsNsec)));
          return;
        }
    }
    writeJsonFieldText(out, p, n, 58);
  }
}

const NONE: number[] = [];
const EK_EXPERT_NAME = keyEncoder.encode(q('_ws_expert') + ':');

/**
 * The `-T fields` text of node `n` as a JSON string, written straight into the output: when
 * the text is plain printable ASCII without '"' and '\\' (nearly always), the quoted bytes are
 * what JSON.stringify gives; otherwise it is taken back and written through it.
 */
function writeJsonFieldText(o: TextBuf, p: Packet, n: number, bytesSep: number): void {
  const start = o.len;
  o.byte(34);
  writeFieldText(o, p, n, bytesSep);
  const b = o.buf;
  for (let i = start + 1; i < o.len; i++) {
    const c = b[i]!;
    if (c < 0x20 || c >= 0x80 || c === 34 || c === 92) {
      o.len = start;
      o.str(q(fieldText(p, n, bytesSep)));
      return;
    }
  }
  o.byte(34);
}

/** q(indexName(sec)), for the last quarter of an hour asked (time zones change on quarter hours at the finest). */
let indexQuarter = NaN;
let indexQuoted = '';
function indexNameQuoted(sec: number): string {
  const k = Math.floor(sec / 900);
  if (k !== indexQuarter) {
    indexQuarter = k;
    indexQuoted = q(indexName(sec));
  }
  return indexQuoted;
}
