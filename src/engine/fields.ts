/**
 * The field registry. Every field (and every protocol, which is a field of type 'protocol') is
 * declared once, here or in its protocol's folder, and gets a small integer id. The tree view,
 * JSON keys, `-T fields` columns, display filters and the glossary all read these declarations.
 */

export type FieldType =
  | 'protocol'
  | 'none'      // a label / subtree header with no value
  | 'uint8' | 'uint16' | 'uint24' | 'uint32' | 'uint64'
  | 'int8' | 'int16' | 'int32'
  | 'boolean'
  | 'ipv4' | 'ipv6' | 'ether'
  | 'bytes'
  | 'string'
  | 'framenum'
  | 'double'
  | 'abs_time'
  | 'rel_time';

export type Base = 'none' | 'dec' | 'hex' | 'oct' | 'dec_hex' | 'hex_dec';

export interface FieldSpec {
  /** Filter name, e.g. "gre.key". Wireshark's name wherever Wireshark has the field. */
  abbrev: string;
  /** Display name, e.g. "GRE Key". */
  name: string;
  /**
   * Protocols: Wireshark's short name ("IPv4", "MIPv6"; `tshark -G protocols`, second column)
   * where it differs from `name`. Engine items name the protocol by it ("[Malformed Packet: MIPv6]").
   */
  short?: string;
  type: FieldType;
  base?: Base;
  /** Bit mask within the field's container (uint types and booleans). */
  mask?: number;
  /** For booleans with a mask: the container width in bits (8, 16, 24, 32). */
  bits?: number;
  /** Value names (shown in the tree and summary; `-T fields` prints raw numbers as tshark does). */
  strings?: Readonly<Record<number, string>>;
  /** Boolean labels, default ["Set", "Not set"]. */
  tf?: readonly [string, string];
  /** Unit suffix shown in the tree, e.g. " seconds". */
  unit?: string;
  description?: string;
  /** False when Wireshark 4.0 has no such field (gretool's own fields); parity tests skip those. */
  wireshark?: boolean;
  /**
   * True when every occurrence's value is its bytes as they stand in the frame: an address, or
   * a big-endian integer of the type's full width with no mask, never a computed value. A display
   * filter comparing such a field with a constant may then skip frames whose bytes do not hold
   * the constant without dissecting them (src/filter/prefilter.ts). Checked over every sample
   * and generated capture by test/filter/prefilter.test.ts.
   */
  wire?: boolean;
  /**
   * Bytes fields: what `-T fields` prints for an occurrence with no bytes, where tshark 4.0
   * prints a marker rather than nothing ("<none>" for ipv6.opt.padn, "<MISSING>" for
   * gre.routing.information; it depends on how Wireshark's dissector added the item).
   */
  empty?: string;
  /**
   * A value computed when read rather than stored at dissection time (frame.protocols, times).
   * Numbers for numeric types and times (times: nanoseconds as a number for rel_time; for
   * abs_time the formatter reads the packet's timestamp), strings for string types.
   */
  compute?: (p: import('./packet.js').Packet, node: number) => string | number;
  /**
   * Writes the node's line in the tree (-V) into `out` when it is not "Name: value": Wireshark
   * items whose text a dissector set ("MIPv6 Option - GRE Key: 4097", a protocol's "Src: ...,
   * Dst: ..."). Only the tree view reads it; values, filters, JSON and -T fields are unchanged
   * (a protocol that also prints its label in -T fields gives `compute: labelText(label)`).
   */
  label?: (p: import('./packet.js').Packet, node: number, out: import('./textbuf.js').TextBuf) => void;
}

export interface FieldDef extends Required<Pick<FieldSpec, 'abbrev' | 'name' | 'type'>> {
  id: number;
  compute: FieldSpec['compute'];
  label: FieldSpec['label'];
  base: Base;
  mask: number;
  /** Right shift that turns masked raw bits into the value. */
  shift: number;
  bits: number;
  strings: Readonly<Record<number, string>> | undefined;
  tf: readonly [string, string];
  unit: string;
  description: string;
  wireshark: boolean;
  wire: boolean;
  empty: string;
  /** Short name (protocols; `name` when none is declared). */
  short: string;
  /** Protocol id this field belongs to (its own id for a protocol). */
  proto: number;
}

const defs: FieldDef[] = [];
const byAbbrev = new Map<string, FieldDef>();

function trailingZeros(mask: number): number {
  if (mask === 0) return 0;
  let n = 0;
  while (((mask >>> n) & 1) === 0) n++;
  return n;
}

function protoOf(abbrev: string): number {
  // The protocol of "mip6.bu.t_flag" is the longest registered protocol prefix.
  let name = abbrev;
  for (;;) {
    const d = byAbbrev.get(name);
    if (d && d.type === 'protocol') return d.id;
    const dot = name.lastIndexOf('.');
    if (dot < 0) return -1;
    name = name.slice(0, dot);
  }
}

/** Registers one field and returns its id. Throws on a duplicate name (a programming error). */
export function defineField(spec: FieldSpec): number {
  if (byAbbrev.has(spec.abbrev)) throw new Error(`field ${spec.abbrev} registered twice`);
  const id = defs.length;
  const mask = spec.mask ?? 0;
  const def: FieldDef = {
    id,
    abbrev: spec.abbrev,
    name: spec.name,
    type: spec.type,
    base: spec.base ?? (spec.type.startsWith('uint') || spec.type.startsWith('int') ? 'dec' : 'none'),
    mask,
    shift: trailingZeros(mask),
    bits: spec.bits ?? 0,
    strings: spec.strings,
    tf: spec.tf ?? ['Set', 'Not set'],
    unit: spec.unit ?? '',
    description: spec.description ?? '',
    wireshark: spec.wireshark ?? true,
    wire: spec.wire ?? false,
    empty: spec.empty ?? '',
    short: spec.short ?? spec.name,
    proto: -1,
    compute: spec.compute,
    label: spec.label,
  };
  defs.push(def);
  byAbbrev.set(spec.abbrev, def);
  def.proto = spec.type === 'protocol' ? id : protoOf(spec.abbrev);
  return id;
}

/**
 * Registers a group of fields; returns an object of ids with the same keys, so a protocol
 * module types each name once: `const F = defineFields({ key: { abbrev: 'gre.key', ... } })`.
 */
export function defineFields<T extends Record<string, FieldSpec>>(specs: T): { readonly [K in keyof T]: number } {
  const out: Record<string, number> = {};
  for (const k of Object.keys(specs)) out[k] = defineField(specs[k]!);
  // A field whose name has no registered protocol prefix (gretool.link_type in the frame
  // group) belongs to the group's protocol, when the group declares exactly one.
  const ids = Object.values(out);
  const protos = ids.filter((id) => defs[id]!.type === 'protocol');
  if (protos.length === 1) for (const id of ids) if (defs[id]!.proto < 0) defs[id]!.proto = protos[0]!;
  // a copy: `out`, built key by key, is a dictionary-mode object past a dozen keys in V8, and
  // dissectors read these ids on every frame (a copy made by spreading has fast properties)
  return { ...out } as { [K in keyof T]: number };
}

export function fieldDef(id: number): FieldDef {
  return defs[id]!;
}

export function fieldByName(abbrev: string): FieldDef | undefined {
  return byAbbrev.get(abbrev);
}

/** All fields in registration order (the glossary). */
export function allFields(): readonly FieldDef[] {
  return defs;
}

/** Byte width of a numeric container type (0 for non-numeric types). */
export function typeWidth(t: FieldType): number {
  switch (t) {
    case 'uint8': case 'int8': return 1;
    case 'uint16': case 'int16': return 2;
    case 'uint24': return 3;
    case 'uint32': case 'int32': case 'ipv4': case 'framenum': return 4;
    case 'uint64': return 8;
    case 'ipv6': return 16;
    case 'ether': return 6;
    default: return 0;
  }
}

export function isNumericType(t: FieldType): boolean {
  return t.startsWith('uint') || t.startsWith('int') || t === 'boolean' || t === 'framenum' || t === 'double' || t === 'rel_time' || t === 'abs_time';
}

/** Fields that some dissector reads back from the tree: every want mask includes them. */
const alwaysWanted = new Set<number | string>();

/**
 * Marks a field (id, or name for a field another protocol registers) as read back by a
 * dissector, e.g. a demultiplexer reading udp.length. Call at module load.
 */
export function requireField(field: number | string): void {
  alwaysWanted.add(field);
}

/** Want-mask bits (Packet.want[fid]): materialise this node. */
export const WANT_NODE = 1;
/** Want-mask bit, on protocols: some field of this protocol is wanted (see Packet.wantsFields). */
export const WANT_FIELDS = 2;

/**
 * A mask for Packet.want that materialises only the given fields (plus those some dissector
 * reads back), the protocol node of each of them (so protocol presence stays visible), and
 * marks those protocols as having wanted fields (WANT_FIELDS): a dissector whose protocol has
 * no wanted field skips all its `add` calls. Always build masks with this function (or
 * wantForFields / unionWant): a hand-made mask without the protocol bits hides fields.
 */
export function wantMask(ids: Iterable<number>, opts: WantOptions = {}): Uint8Array {
  const m = new Uint8Array(defs.length + 1);
  const mark = (id: number): void => {
    if (id < 0 || id >= defs.length) return;
    m[id]! |= WANT_NODE;
    const proto = defs[id]!.proto;
    if (proto >= 0) m[proto]! |= proto === id ? WANT_NODE : WANT_NODE | WANT_FIELDS;
  };
  for (const f of alwaysWanted) {
    const id = typeof f === 'number' ? f : byAbbrev.get(f)?.id;
    if (id !== undefined) mark(id);
  }
  for (const id of ids) mark(id);
  if (opts.protocols) for (const d of defs) if (d.type === 'protocol') m[d.id]! |= WANT_NODE;
  return m;
}

export interface WantOptions {
  /**
   * Materialise every protocol node too (the protocol stack as tree nodes, e.g. for a reader
   * that tells layers apart by their protocol nodes, like the session Extractor).
   */
  protocols?: boolean;
}

/**
 * The want mask for fields given by name or id (names not registered are ignored: a field of
 * a module that is not loaded cannot occur). For `Packet.want` / `Pipeline.setWant`:
 *
 *   pipeline.setWant(wantForFields(['gre.key', 'ip.src']));
 *
 * Protocol names select the protocol node only (`'gre'` makes `gre` presence visible).
 */
export function wantForFields(fields: Iterable<string | number>, opts: WantOptions = {}): Uint8Array {
  const ids: number[] = [];
  for (const f of fields) {
    const id = typeof f === 'number' ? f : byAbbrev.get(f)?.id;
    if (id !== undefined) ids.push(id);
  }
  return wantMask(ids, opts);
}

/** Union of want masks (null, "everything", wins). */
export function unionWant(a: Uint8Array | null, b: Uint8Array | null): Uint8Array | null {
  if (a === null || b === null) return null;
  const n = Math.max(a.length, b.length);
  const m = new Uint8Array(n);
  for (let i = 0; i < n; i++) m[i] = (a[i] ?? 0) | (b[i] ?? 0);
  return m;
}
