/**
 * Helpers for the generator tests: dissect built frames with gretool's own pipeline and read
 * fields by their filter names; read the frames of a pcap; run tshark on generated captures.
 */
import { readFileSync } from 'node:fs';
import '../../src/dissectors/index.js';
import { Pipeline } from '../../src/engine/pipeline.js';
import { fieldByName, fieldDef } from '../../src/engine/fields.js';
import { fieldText } from '../../src/output/format.js';
import { TEXT_FIELD, type Packet } from '../../src/engine/packet.js';
import { expertDef } from '../../src/engine/expert.js';

export const LINK = { ethernet: 1, raw: 101, sll: 113 } as const;

/** A dissected frame: field values by filter name (all occurrences, tree order). */
export interface Dissected {
  /** Values of every occurrence of the field, as `-T fields` text. */
  all(name: string): string[];
  /** The `occurrence`-th value (default the first); undefined when absent. */
  get(name: string, occurrence?: number): string | undefined;
  /** Numeric value of the `occurrence`-th node. */
  num(name: string, occurrence?: number): number;
  has(name: string): boolean;
  /** Expert items raised on the frame: abbreviation and severity. */
  experts: { abbrev: string; severity: string; rule?: string }[];
  /** [name, value, offset, length, leaf] of every field node, tree order (leaf: no child nodes). */
  nodes: [string, string, number, number, boolean][];
  malformed: boolean;
}

const pipe = new Pipeline();

export function dissect(bytes: Uint8Array, linkType: number = LINK.ethernet, frameNumber = 1): Dissected {
  const p: Packet = pipe.dissectBytes(bytes, 0, bytes.length, bytes.length, linkType, frameNumber, 1767225600, 0);
  const t = p.tree;
  const nodes: [string, string, number, number, boolean][] = [];
  const hasKids = new Uint8Array(t.count);
  for (let i = 0; i < t.count; i++) if (t.parent[i]! >= 0) hasKids[t.parent[i]!] = 1;
  for (let i = 0; i < t.count; i++) {
    const fid = t.fid[i]!;
    if (fid === TEXT_FIELD) continue;
    nodes.push([fieldDef(fid).abbrev, fieldText(p, i), t.off[i]!, t.len[i]!, !hasKids[i]]);
  }
  const experts = [];
  for (let i = 0; i < p.experts.count; i++) {
    const d = expertDef(p.experts.id[i]!);
    experts.push({ abbrev: d.abbrev, severity: d.severity, rule: d.rule });
  }
  const all = (name: string): string[] => {
    if (!fieldByName(name)) throw new Error(`gretool has no field ${name}`);
    return nodes.filter((n) => n[0] === name).map((n) => n[1]);
  };
  return {
    all,
    get: (name, occ = 0) => all(name)[occ],
    num: (name, occ = 0) => {
      const v = all(name)[occ];
      if (v === undefined) throw new Error(`frame has no ${name}`);
      return Number(v);
    },
    has: (name) => all(name).length > 0,
    experts,
    nodes,
    malformed: p.cols.malformed,
  };
}

/** Frames of a classic pcap (either precision, little-endian as gretool writes it). */
export function pcapFrames(path: string | Buffer): { linkType: number; nano: boolean; frames: { data: Uint8Array; sec: number; frac: number }[] } {
  const b = typeof path === 'string' ? readFileSync(path) : path;
  const magic = b.readUInt32LE(0);
  if (magic !== 0xa1b2c3d4 && magic !== 0xa1b23c4d) throw new Error('not a little-endian pcap');
  const frames = [];
  for (let o = 24; o + 16 <= b.length; ) {
    const len = b.readUInt32LE(o + 8);
    frames.push({ data: new Uint8Array(b.buffer, b.byteOffset + o + 16, len), sec: b.readUInt32LE(o), frac: b.readUInt32LE(o + 4) });
    o += 16 + len;
  }
  return { linkType: b.readUInt32LE(20), nano: magic === 0xa1b23c4d, frames };
}
