/**
 * The field glossary (what `gretool fields` prints): every registered protocol and field with
 * Wireshark's type and base names, in `tshark -G fields` layout or as objects.
 */
import { allFields, fieldDef, type FieldDef } from '../engine/fields.js';

/** Wireshark's FT_* name of a gretool field type. */
export function ftName(def: FieldDef): string {
  switch (def.type) {
    case 'protocol': return 'FT_PROTOCOL';
    case 'none': return 'FT_NONE';
    case 'boolean': return 'FT_BOOLEAN';
    case 'ipv4': return 'FT_IPv4';
    case 'ipv6': return 'FT_IPv6';
    case 'ether': return 'FT_ETHER';
    case 'bytes': return 'FT_BYTES';
    case 'string': return 'FT_STRING';
    case 'framenum': return 'FT_FRAMENUM';
    case 'double': return 'FT_DOUBLE';
    case 'abs_time': return 'FT_ABSOLUTE_TIME';
    case 'rel_time': return 'FT_RELATIVE_TIME';
    default: return 'FT_' + def.type.toUpperCase();
  }
}

/** The base column of `tshark -G fields` (booleans show their container width in bits). */
export function baseName(def: FieldDef): string {
  if (def.type === 'boolean') return def.bits ? String(def.bits) : 'BASE_NONE';
  if (def.type === 'abs_time') return def.abbrev.endsWith('epoch') ? 'ABSOLUTE_TIME_UNIX' : 'ABSOLUTE_TIME_UTC';
  switch (def.base) {
    case 'dec': return 'BASE_DEC';
    case 'hex': return 'BASE_HEX';
    case 'oct': return 'BASE_OCT';
    case 'dec_hex': return 'BASE_DEC_HEX';
    case 'hex_dec': return 'BASE_HEX_DEC';
    default: return 'BASE_NONE';
  }
}

export interface GlossaryEntry {
  kind: 'protocol' | 'field';
  abbrev: string;
  name: string;
  type: string;
  protocol: string;
  base: string;
  mask: string;
  description: string;
  /** False for gretool's own fields (tshark 4.0 has no such field). */
  wireshark: boolean;
  /** Value names, when the field has them. */
  values?: Record<string, string>;
}

export function glossary(prefix?: string): GlossaryEntry[] {
  const match = (a: string) => prefix === undefined || a === prefix || a.startsWith(prefix.endsWith('.') ? prefix : prefix + '.');
  const out: GlossaryEntry[] = [];
  for (const d of allFields()) {
    if (!match(d.abbrev)) continue;
    const e: GlossaryEntry = {
      kind: d.type === 'protocol' ? 'protocol' : 'field',
      abbrev: d.abbrev,
      name: d.name,
      type: ftName(d),
      protocol: d.proto >= 0 ? fieldDef(d.proto).abbrev : '',
      base: baseName(d),
      mask: '0x' + d.mask.toString(16),
      description: d.description,
      wireshark: d.wireshark,
    };
    if (d.strings) e.values = Object.fromEntries(Object.entries(d.strings));
    out.push(e);
  }
  return out;
}

export function glossaryText(entries: GlossaryEntry[]): string {
  let s = '';
  for (const e of entries) {
    if (e.kind === 'protocol') s += `P\t${e.name}\t${e.abbrev}\n`;
    else s += `F\t${e.name}\t${e.abbrev}\t${e.type}\t${e.protocol}\t${e.base}\t${e.mask}\t${e.description}\n`;
  }
  return s;
}
