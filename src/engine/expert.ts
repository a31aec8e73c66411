/**
 * Expert items: structured problems found in a frame, declared once with a group and a
 * severity (Wireshark's model). Packet-scope lint rules are expert items that carry the rule id.
 */

export type ExpertGroup = 'malformed' | 'checksum' | 'protocol' | 'sequence' | 'undecoded' | 'reassemble' | 'comment' | 'debug';
export type ExpertSeverity = 'chat' | 'note' | 'warning' | 'error';

export interface ExpertSpec {
  /** Filter-style name, e.g. "mip6.csum.bad" or "gretool.lint.P-GREKEY-BAD-LEN". */
  abbrev: string;
  group: ExpertGroup;
  severity: ExpertSeverity;
  /** Message; "{0}" and "{1}" are replaced by the item's two numeric/string arguments. */
  summary: string;
  /** The lint rule id this item reports, when it is one (see shared/spec/lint-rules.md). */
  rule?: string;
}

export interface ExpertDef extends ExpertSpec {
  id: number;
}

const defs: ExpertDef[] = [];
const byAbbrev = new Map<string, ExpertDef>();

export function defineExpert(spec: ExpertSpec): number {
  if (byAbbrev.has(spec.abbrev)) throw new Error(`expert ${spec.abbrev} registered twice`);
  const def: ExpertDef = { ...spec, id: defs.length };
  defs.push(def);
  byAbbrev.set(spec.abbrev, def);
  return def.id;
}

export function defineExperts<T extends Record<string, ExpertSpec>>(specs: T): { readonly [K in keyof T]: number } {
  const out: Record<string, number> = {};
  for (const k of Object.keys(specs)) out[k] = defineExpert(specs[k]!);
  return out as { [K in keyof T]: number };
}

export function expertDef(id: number): ExpertDef {
  return defs[id]!;
}

export function expertByName(abbrev: string): ExpertDef | undefined {
  return byAbbrev.get(abbrev);
}

export function allExperts(): readonly ExpertDef[] {
  return defs;
}

export const SEVERITY_RANK: Record<ExpertSeverity, number> = { chat: 0, note: 1, warning: 2, error: 3 };

export function formatExpert(def: ExpertDef, a0: string | number | undefined, a1: string | number | undefined): string {
  let s = def.summary;
  if (s.includes('{')) s = s.replace('{0}', a0 === undefined ? '' : String(a0)).replace('{1}', a1 === undefined ? '' : String(a1));
  return s;
}
