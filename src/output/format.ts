/**
 * Value text of a tree node, as tshark 4.0 prints it in `-T fields` and `-T json`
 * (raw numbers, not value names; hex padded to the container width; booleans as 1/0).
 * Every output format and the filter engine read values through here or values.ts.
 */
import { fieldDef, typeWidth, type FieldDef } from '../engine/fields.js';
import { HAS_NUM, HAS_STR, TEXT_FIELD, type Packet } from '../engine/packet.js';
import { nodeNumber, readUint } from '../engine/values.js';
import { TextBuf } from '../engine/textbuf.js';

const scratch = new TextBuf(128);

const MONTHS = ['Jan', 'Feb', 'Mar', 'Apr', 'May', 'Jun', 'Jul', 'Aug', 'Sep', 'Oct', 'Nov', 'Dec'];

/** Epoch seconds + nanoseconds as "S.NNNNNNNNN". */
export function epochText(sec: number, nsec: number): string {
  return `${sec}.${String(nsec).padStart(9, '0')}`;
}

/** Relative time in nanoseconds as "S.NNNNNNNNN" (sign kept). */
export function relTimeText(ns: number): string {
  const neg = ns < 0;
  const a = Math.abs(Math.round(ns));
  const s = Math.floor(a / 1e9);
  const frac = a - s * 1e9;
  return `${neg ? '-' : ''}${s}.${String(frac).padStart(9, '0')}`;
}

/** "Nov 14, 2023 22:13:20.123456000 UTC" (tshark's absolute time, in UTC). */
export function absTimeText(sec: number, nsec: number): string {
  const d = new Date(sec * 1000);
  const pad = (n: number) => String(n).padStart(2, '0');
  return `${MONTHS[d.getUTCMonth()]} ${pad(d.getUTCDate())}, ${d.getUTCFullYear()} ${pad(d.getUTCHours())}:${pad(d.getUTCMinutes())}:${pad(d.getUTCSeconds())}.${String(nsec).padStart(9, '0')} UTC`;
}

function hexWidth(def: FieldDef, len: number): number {
  const w = typeWidth(def.type);
  return 2 * (w || len);
}

/** Formats a number of field `def` in its base, tshark style. */
export function numberText(def: FieldDef, v: number, len = 0): string {
  switch (def.base) {
    case 'hex':
      return '0x' + v.toString(16).padStart(hexWidth(def, len), '0');
    case 'oct':
      return '0' + v.toString(8);
    default:
      return String(v);
  }
}

/** The tshark `-T fields` text of one node. */
export function fieldText(p: Packet, node: number): string {
  const t = p.tree;
  const fid = t.fid[node]!;
  if (fid === TEXT_FIELD) return t.strs[node] ?? '';
  const def = fieldDef(fid);
  const flags = t.flags[node]!;
  if (def.compute && !(flags & (HAS_NUM | HAS_STR))) {
    const v = def.compute(p, node);
    if (typeof v === 'string') return v;
    return valueText(p, node, def, v);
  }
  if (flags & HAS_STR) return t.strs[node] ?? '';
  switch (def.type) {
    case 'abs_time':
      return def.abbrev.endsWith('epoch') ? epochText(p.tsSec, p.tsNsec) : absTimeText(p.tsSec, p.tsNsec);
    case 'rel_time':
      return relTimeText(nodeNumber(p, node));
    case 'ipv4':
      if (flags & HAS_NUM) {
        const v = t.num[node]!;
        return `${(v >>> 24) & 255}.${(v >>> 16) & 255}.${(v >>> 8) & 255}.${v & 255}`;
      }
      return scratch.clear().ipv4(p.data, p.base + t.off[node]!).toString();
    case 'ipv6':
      return scratch.clear().ipv6(p.data, p.base + t.off[node]!).toString();
    case 'ether':
      return scratch.clear().mac(p.data, p.base + t.off[node]!).toString();
    case 'bytes': {
      const off = t.off[node]!;
      const end = Math.min(off + t.len[node]!, p.caplen);
      scratch.clear();
      for (let i = off; i < end; i++) scratch.hex(p.data[p.base + i]!, 2);
      return scratch.toString();
    }
    case 'string':
      return new TextDecoder().decode(p.data.subarray(p.base + t.off[node]!, p.base + t.off[node]! + t.len[node]!));
    case 'protocol':
    case 'none':
      return '';
    case 'uint64':
      if (!(flags & HAS_NUM) && t.len[node] === 8) {
        const hi = readUint(p, t.off[node]!, 4);
        const lo = readUint(p, t.off[node]! + 4, 4);
        const big = (BigInt(hi) << 32n) | BigInt(lo);
        return def.base === 'hex' ? '0x' + big.toString(16).padStart(16, '0') : big.toString();
      }
      return valueText(p, node, def, nodeNumber(p, node));
    default:
      return valueText(p, node, def, nodeNumber(p, node));
  }
}

function valueText(p: Packet, node: number, def: FieldDef, v: number): string {
  if (def.type === 'boolean') return v ? '1' : '0';
  if (def.type === 'rel_time') return relTimeText(v);
  if (def.type === 'double') return String(v);
  return numberText(def, v, p.tree.len[node]!);
}
