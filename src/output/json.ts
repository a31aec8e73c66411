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
  /**
   * The `-T fields` text of node `n` as a JSON string, written straight into the output: when
   * the text is plain printable ASCII without '"' and '\\' (nearly always), the quoted bytes
   * are what JSON.stringify gives; otherwise it is taken back and written through it.
   */
  fieldStr(p: Packet, n: number, bytesSep: number): this {
    this.before();
    const o = this.out;
    const start = o.len;
    o.byte(34);
    writeFieldText(o, p, n, bytesSep);
    const b = o.buf;
    for (let i = start + 1; i < o.len; i++) {
      const c = b[i]!;
      if (c < 0x20 || c >= 0x80 || c === 34 || c === 92) {
        o.len = start;
        o.str(q(fieldText(p, n, bytesSep)));
        return this;
      }
    }
    o.byte(34);
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
    j.key('_index').str(indexName(p.tsSec));
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

interface EkAttr {
  group: string;
  name: string;
  /** node index, or -(expert index) - 2 for expert items */
  items: number[];
}

export class EkWriter {
  private readonly ix = new TreeIndex();
  constructor(private readonly opts: JsonOptions = {}) {}

  frame(out: TextBuf, p: Packet): void {
    out.str(`{"index":{"_index":${q(indexName(p.tsSec))},"_type":"doc"}}\n`);
    out.str(`{"timestamp":"${p.tsSec * 1000 + Math.floor(p.tsNsec / 1e6)}","layers":{`);
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
      this.object(out, p, roots, frameExperts, '');
    }
    out.str('}}\n');
  }

  /** Writes the members of an ek object made of the given sibling nodes and expert items. */
  private object(out: TextBuf, p: Packet, nodes: number[], experts: number[], parentAbbrev: string): void {
    const attrs: EkAttr[] = [];
    const byGroup = new Map<string, EkAttr>();
    const add = (group: string, name: string, item: number) => {
      let a = byGroup.get(group);
      if (!a) {
        a = { group, name, items: [] };
        byGroup.set(group, a);
        attrs.push(a);
      }
      a.items.push(item);
    };
    const fill = (list: number[], exps: number[], parent: string) => {
      for (const e of exps) add(parent + '__ws.expert', '_ws_expert', -e - 2);
      for (const n of list) {
        const fid = p.tree.fid[n]!;
        const abbrev = fid === TEXT_FIELD ? 'text' : fieldDef(fid).abbrev;
        const isProto = fid !== TEXT_FIELD && fieldDef(fid).type === 'protocol';
        const pp = fid === TEXT_FIELD || isProto ? '' : protoPrefix(abbrev);
        add(parent ? parent + '_' + abbrev : abbrev, ekName(pp ? pp + '_' + abbrev : abbrev), n);
        if (!isProto) {
          const kids: number[] = [];
          for (let c = this.ix.firstChild[n]!; c >= 0; c = this.ix.nextSibling[c]!) kids.push(c);
          const ke: number[] = [];
          for (let e = this.ix.expFirst[n]!; e >= 0; e = this.ix.expNext[e]!) if (expertShown(p, e)) ke.push(e);
          if (kids.length || ke.length) fill(kids, ke, abbrev);
        }
      }
    };
    fill(nodes, experts, parentAbbrev);
    let first = true;
    for (const a of attrs) {
      if (!first) out.byte(44);
      first = false;
      out.str(q(a.name)).byte(58);
      if (a.items.length > 1) out.byte(91);
      a.items.forEach((item, k) => {
        if (k) out.byte(44);
        this.value(out, p, item);
      });
      if (a.items.length > 1) out.byte(93);
    }
  }

  private value(out: TextBuf, p: Packet, item: number): void {
    if (item <= -2) {
      const i = -item - 2;
      const def = expertDef(p.experts.id[i]!);
      const pp = protoPrefix(def.abbrev);
      out.str(`{${q(ekName((pp ? pp + '_' : '') + def.abbrev))}:null,"_ws_expert__ws_expert_message":${q(expertMessage(p, i))},`);
      out.str(`"_ws_expert__ws_expert_severity":"${SEVERITY_CODE[def.severity]}","_ws_expert__ws_expert_group":"${GROUP_CODE[def.group]}"`);
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
        this.object(out, p, kids, ke, def.abbrev);
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
    out.str(q(fieldText(p, n, 58)));
  }
}
