/**
 * Mobility Header builder (RFC 6275 §6.1, RFC 5213 §8, RFC 5845 §6, RFC 5844 §3), sharing the
 * bit layout of ./layout.ts with the dissector.
 *
 * Computed when unset:
 *  - Payload Proto (59), Header Len ((length / 8) − 1), Reserved (0);
 *  - option padding: Pad1/PadN before each option to meet its alignment (xn+y of the Type
 *    octet from the MH start, RFC 2460 §4.2 notation: GRE Key 4n, HNP 8n+4, Timestamp 8n+2,
 *    IPv4 options 4n), and after the last option to make the MH a multiple of 8 octets;
 *  - each option's Length octet (from its body);
 *  - the Checksum: over IPv6 with the pseudo-header (RFC 6275 §6.1.1, next header 135); 0 when
 *    the MH rides in UDP over IPv4 (RFC 5844 §4.1.3.2 / §4.2.2.1).
 * Set explicitly, each is written as given (an option's `length` resizes its body to match,
 * unless `lengthOnly` asks for the Length octet alone to change).
 */
import { pseudoHeaderSum } from '../../engine/checksum.js';
import {
  ipv4Bytes,
  ipv6Bytes,
  prevLayer,
  put16,
  put32,
  toNumber,
  toText,
  withBit,
  type BuildContext,
  type FieldSetters,
  type Layer,
  type MutableField,
} from '../../generate/layer.js';
import {
  BA_FLAG,
  BU_FLAG,
  GRE_KEY_OFF_KEY,
  IPPROTO_MH,
  IPPROTO_NONE,
  MH_LEN_UNIT,
  MH_OFF_CSUM,
  MH_TYPE,
  MNID_SUBTYPE_NAI,
  OPT,
  OPT_ALIGN,
  UDP_PORT_PMIP6_CNTL,
} from './layout.js';

// ------------------------------------------------------------------ mobility options

interface OptionCommon {
  /** Explicit Length octet. The body is resized (cut or zero-filled) to match unless `lengthOnly`. */
  length?: number;
  /** With `length`: change only the Length octet, keep the natural body (an overrun / underrun). */
  lengthOnly?: boolean;
  /** Skip the alignment padding this option's type asks for (default: aligned). */
  align?: boolean;
  /** Extra padding octets placed before the option after aligning it (2 puts a 4n option at 4n+2). */
  misalign?: number;
}

export type MobilityOption = OptionCommon &
  (
    | { type: 'pad1' }
    | { type: 'padn'; /** total octets, ≥ 2 */ size: number; fill?: number }
    | { type: 'mnid'; id: string; subtype?: number }
    | { type: 'hnp'; prefix: string; prefixLength?: number; reserved?: number }
    | { type: 'hi'; value: number; reserved?: number }
    | { type: 'att'; value: number; reserved?: number }
    | { type: 'ts'; seconds: number; fraction?: number }
    | { type: 'grekey'; key?: number; reserved?: number }
    | { type: 'ipv4hareq'; address: string; prefixLength?: number; reserved?: number }
    | { type: 'ipv4harep'; address: string; status?: number; prefixLength?: number }
    | { type: 'ipv4dra'; address: string; reserved?: number }
    | { type: 'natd'; f?: boolean; refresh?: number }
    | { type: 'raw'; code: number; data: Uint8Array }
  );

const OPT_CODE: Readonly<Record<string, number>> = {
  pad1: OPT.PAD1,
  padn: OPT.PADN,
  mnid: OPT.MNID,
  hnp: OPT.HNP,
  hi: OPT.HI,
  att: OPT.ATT,
  ts: OPT.TS,
  grekey: OPT.GRE_KEY,
  ipv4hareq: OPT.IPV4HAREQ,
  ipv4harep: OPT.IPV4HAREP,
  ipv4dra: OPT.IPV4DRA,
  natd: OPT.NATD,
};

const utf8 = new TextEncoder();

/** Option type code of a spec. */
export function optionCode(o: MobilityOption): number {
  return o.type === 'raw' ? o.code : OPT_CODE[o.type]!;
}

/** The natural body (octets after Type and Length) of an option. */
export function optionBody(o: MobilityOption): Uint8Array {
  switch (o.type) {
    case 'pad1':
      return new Uint8Array(0);
    case 'padn':
      return new Uint8Array(Math.max(0, o.size - 2)).fill(o.fill ?? 0);
    case 'mnid': {
      const id = utf8.encode(o.id);
      const b = new Uint8Array(1 + id.length);
      b[0] = o.subtype ?? MNID_SUBTYPE_NAI;
      b.set(id, 1);
      return b;
    }
    case 'hnp': {
      const b = new Uint8Array(18);
      b[0] = o.reserved ?? 0;
      b[1] = o.prefixLength ?? 64;
      b.set(ipv6Bytes(o.prefix), 2);
      return b;
    }
    case 'hi':
    case 'att':
      return Uint8Array.of(o.reserved ?? 0, o.value);
    case 'ts': {
      const b = new Uint8Array(8);
      const hi = Math.floor(o.seconds / 65536);
      put32(b, 0, hi);
      put16(b, 4, o.seconds & 0xffff);
      put16(b, 6, o.fraction ?? 0);
      return b;
    }
    case 'grekey': {
      const b = new Uint8Array(o.key === undefined ? 2 : 6);
      put16(b, 0, o.reserved ?? 0);
      if (o.key !== undefined) put32(b, GRE_KEY_OFF_KEY - 2, o.key);
      return b;
    }
    case 'ipv4hareq': {
      const b = new Uint8Array(6);
      put16(b, 0, (((o.prefixLength ?? 0) & 0x3f) << 10) | ((o.reserved ?? 0) & 0x3ff));
      b.set(ipv4Bytes(o.address), 2);
      return b;
    }
    case 'ipv4harep': {
      const b = new Uint8Array(6);
      b[0] = o.status ?? 0;
      b[1] = ((o.prefixLength ?? 32) & 0x3f) << 2;
      b.set(ipv4Bytes(o.address), 2);
      return b;
    }
    case 'ipv4dra': {
      const b = new Uint8Array(6);
      put16(b, 0, o.reserved ?? 0);
      b.set(ipv4Bytes(o.address), 2);
      return b;
    }
    case 'natd': {
      const b = new Uint8Array(6);
      put16(b, 0, o.f ? 0x8000 : 0);
      put32(b, 2, o.refresh ?? 0);
      return b;
    }
    case 'raw':
      return o.data;
  }
}

/** Pad1 for one octet, PadN for more (RFC 6275 §6.2.2-6.2.3). */
function padding(n: number, fill: number): number[] {
  if (n <= 0) return [];
  if (n === 1) return [OPT.PAD1];
  return [OPT.PADN, n - 2, ...new Array<number>(n - 2).fill(fill)];
}

// ------------------------------------------------------------------ messages

/** Proxy Binding Update fixed part (RFC 5213 §8.1, RFC 5845 §6.2). */
export interface PbuBody {
  kind: 'pbu';
  seq: number;
  /** The 16-bit flags word (A H L K M R P F T B + reserved). */
  flags: number;
  /** In 4-second units. */
  lifetime: number;
}

/** Proxy Binding Acknowledgement fixed part (RFC 5213 §8.2, RFC 5845 §6.3). */
export interface PbaBody {
  kind: 'pba';
  status: number;
  /** The flags octet (K R P T B + reserved). */
  flags: number;
  seq: number;
  lifetime: number;
}

export interface MhSpec {
  type?: number;
  payloadProto?: number;
  headerLen?: number;
  reserved?: number;
  checksum?: number;
  /** XOR mask applied to the computed checksum (a deliberately bad checksum). */
  badChecksum?: number;
  /** Pseudo-header addresses for the checksum instead of the enclosing IPv6 header's (forces a computed checksum even over UDP). */
  pseudo?: { src: string | Uint8Array; dst: string | Uint8Array };
  /** Fixed message data: a PBU / PBA, or raw octets for other MH types. */
  body: PbuBody | PbaBody | Uint8Array;
  options?: MobilityOption[];
  /** Insert alignment and 8n padding (default true). */
  autoPad?: boolean;
  /** Fill octet of automatically inserted PadN options (default 0). */
  padFill?: number;
}

export const PBU_DEFAULT_FLAGS = BU_FLAG.A | BU_FLAG.P;
export const PBA_DEFAULT_FLAGS = BA_FLAG.P;

function bodyBytes(spec: MhSpec): Uint8Array {
  const body = spec.body;
  if (body instanceof Uint8Array) return body;
  const b = new Uint8Array(6);
  if (body.kind === 'pbu') {
    put16(b, 0, body.seq);
    put16(b, 2, body.flags);
    put16(b, 4, body.lifetime);
  } else {
    b[0] = body.status;
    b[1] = body.flags;
    put16(b, 2, body.seq);
    put16(b, 4, body.lifetime);
  }
  return b;
}

function mhType(spec: MhSpec): number {
  if (spec.type !== undefined) return spec.type;
  if (spec.body instanceof Uint8Array) return 0;
  return spec.body.kind === 'pbu' ? MH_TYPE.BU : MH_TYPE.BA;
}

/** Where each option landed (offset of its Type octet from the MH start). */
export interface MhLayout {
  bytes: Uint8Array;
  optionOffsets: number[];
}

/** Serialises the MH (checksum field as given, or 0). */
export function serializeMh(spec: MhSpec): MhLayout {
  const out: number[] = [0, 0, 0, 0, 0, 0];
  for (const x of bodyBytes(spec)) out.push(x);
  const auto = spec.autoPad ?? true;
  const fill = spec.padFill ?? 0;
  const optionOffsets: number[] = [];
  for (const o of spec.options ?? []) {
    const code = optionCode(o);
    const al = OPT_ALIGN[code];
    if (auto && al && o.align !== false && o.type !== 'pad1' && o.type !== 'padn') {
      const [x, y] = al;
      out.push(...padding((((y - out.length) % x) + x) % x, fill));
    }
    if (o.misalign) out.push(...padding(o.misalign, fill));
    optionOffsets.push(out.length);
    if (o.type === 'pad1') {
      out.push(OPT.PAD1);
      continue;
    }
    let body = optionBody(o);
    if (o.length !== undefined && !o.lengthOnly && o.length !== body.length) {
      const nb = new Uint8Array(o.length);
      nb.set(body.subarray(0, Math.min(o.length, body.length)));
      body = nb;
    }
    out.push(code, o.length ?? body.length, ...body);
  }
  if (auto) out.push(...padding((MH_LEN_UNIT - (out.length % MH_LEN_UNIT)) % MH_LEN_UNIT, fill));
  const b = Uint8Array.from(out);
  b[0] = spec.payloadProto ?? IPPROTO_NONE;
  b[1] = spec.headerLen ?? Math.max(0, Math.ceil(b.length / MH_LEN_UNIT) - 1);
  b[2] = mhType(spec);
  b[3] = spec.reserved ?? 0;
  put16(b, MH_OFF_CSUM, spec.checksum ?? 0);
  return { bytes: b, optionOffsets };
}

function carriedInIpv6(ctx: BuildContext): boolean {
  const p = prevLayer(ctx);
  return !!p?.ip && p.ip.version === 6;
}

/**
 * Template fields of a serialised MH (for the scale path): the sequence number and the values
 * that change from one mobile node or exchange to the next (key, NAI, prefix, timestamp, IPv4
 * addresses), each in the first option of its kind whose size is its natural one.
 */
function mhMutable(spec: MhSpec, layout: MhLayout, off: number): MutableField[] {
  const out: MutableField[] = [];
  const body = spec.body;
  if (!(body instanceof Uint8Array)) {
    out.push(body.kind === 'pbu' ? { name: 'mip6.bu.seqnr', off: off + 6, width: 2 } : { name: 'mip6.ba.seqnr', off: off + 8, width: 2 });
  }
  const seen = new Set<string>();
  (spec.options ?? []).forEach((o, i) => {
    if (seen.has(o.type) || o.length !== undefined || o.misalign) return;
    seen.add(o.type);
    const at = off + layout.optionOffsets[i]!;
    switch (o.type) {
      case 'grekey':
        if (o.key !== undefined) out.push({ name: 'mip6.gre_key', off: at + GRE_KEY_OFF_KEY, width: 4 });
        break;
      case 'mnid':
        out.push({ name: 'mip6.mnid.identifier', off: at + 3, width: utf8.encode(o.id).length });
        break;
      case 'hnp':
        out.push({ name: 'gretool.mip6.hnp.prefix', off: at + 4, width: 16 });
        break;
      case 'ts':
        out.push({ name: 'gretool.mip6.timestamp.raw', off: at + 2, width: 8 });
        break;
      case 'ipv4hareq':
      case 'ipv4harep':
        out.push({ name: 'mip6.ipv4ha.ha', off: at + 4, width: 4 });
        break;
      case 'ipv4dra':
        out.push({ name: 'mip6.ipv4dra.dra', off: at + 4, width: 4 });
        break;
      default:
        break;
    }
  });
  return out;
}

export function mh(spec: MhSpec): Layer {
  const layout = serializeMh(spec);
  const { bytes } = layout;
  return {
    kind: 'mip6',
    ipProto: IPPROTO_MH,
    udpPort: UDP_PORT_PMIP6_CNTL,
    headerLen: () => bytes.length,
    encode(b, off) {
      b.set(bytes, off);
    },
    checksum(b, off, ctx) {
      if (spec.checksum !== undefined) return null;
      const len = bytes.length;
      if (spec.pseudo) {
        const pa = new Uint8Array(32);
        pa.set(ipv6Bytes(spec.pseudo.src), 0);
        pa.set(ipv6Bytes(spec.pseudo.dst), 16);
        return { field: off + MH_OFF_CSUM, start: off, end: off + len, pseudo: pseudoHeaderSum(pa, 6, 0, 16, IPPROTO_MH, len), udp: false, corrupt: spec.badChecksum ?? 0 };
      }
      if (!carriedInIpv6(ctx)) return null; // RFC 5844: 0 over UDP/IPv4
      const ip = prevLayer(ctx)!.ip!;
      const ipOff = ctx.offs[ctx.index - 1]!;
      return { field: off + MH_OFF_CSUM, start: off, end: off + len, pseudo: pseudoHeaderSum(b, 6, ipOff + ip.src, ipOff + ip.dst, IPPROTO_MH, len), pseudoHeader: { version: 6, src: ipOff + ip.src, dst: ipOff + ip.dst, proto: IPPROTO_MH }, udp: false, corrupt: spec.badChecksum ?? 0 };
    },
    mutable: (off) => mhMutable(spec, layout, off),
  };
}

/** Offset of the first option of `type` in the serialised MH, or -1. */
export function optionOffset(spec: MhSpec, type: MobilityOption['type']): number {
  const { optionOffsets } = serializeMh(spec);
  const i = (spec.options ?? []).findIndex((o) => o.type === type);
  return i < 0 ? -1 : optionOffsets[i]!;
}

// ------------------------------------------------------------------ overrides

function pbu(s: MhSpec, field: string): PbuBody {
  if (s.body instanceof Uint8Array || s.body.kind !== 'pbu') throw new Error(`${field} applies to a Proxy Binding Update only`);
  return s.body;
}

function pba(s: MhSpec, field: string): PbaBody {
  if (s.body instanceof Uint8Array || s.body.kind !== 'pba') throw new Error(`${field} applies to a Proxy Binding Acknowledgement only`);
  return s.body;
}

function firstOption<T extends MobilityOption['type']>(s: MhSpec, type: T, field: string): Extract<MobilityOption, { type: T }> {
  const o = (s.options ?? []).find((x) => x.type === type);
  if (!o) throw new Error(`${field}: this message has no ${type} option`);
  return o as Extract<MobilityOption, { type: T }>;
}

const buFlag = (mask: number, name: string) => (s: MhSpec, v: unknown) => {
  const b = pbu(s, name);
  b.flags = withBit(b.flags, mask, !!toNumber(v, name));
};
const baFlag = (mask: number, name: string) => (s: MhSpec, v: unknown) => {
  const b = pba(s, name);
  b.flags = withBit(b.flags, mask, !!toNumber(v, name));
};

export const MH_FIELDS: FieldSetters<MhSpec> = {
  'mip6.proto': (s, v) => (s.payloadProto = toNumber(v, 'mip6.proto')),
  'mip6.hlen': (s, v) => (s.headerLen = toNumber(v, 'mip6.hlen')),
  'mip6.mhtype': (s, v) => (s.type = toNumber(v, 'mip6.mhtype')),
  'mip6.reserved': (s, v) => (s.reserved = toNumber(v, 'mip6.reserved')),
  'mip6.csum': (s, v) => (s.checksum = toNumber(v, 'mip6.csum')),
  'mip6.bu.seqnr': (s, v) => (pbu(s, 'mip6.bu.seqnr').seq = toNumber(v, 'mip6.bu.seqnr')),
  'mip6.bu.lifetime': (s, v) => (pbu(s, 'mip6.bu.lifetime').lifetime = toNumber(v, 'mip6.bu.lifetime')),
  'gretool.mip6.bu.flags': (s, v) => (pbu(s, 'gretool.mip6.bu.flags').flags = toNumber(v, 'gretool.mip6.bu.flags')),
  'mip6.bu.a_flag': buFlag(BU_FLAG.A, 'mip6.bu.a_flag'),
  'mip6.bu.h_flag': buFlag(BU_FLAG.H, 'mip6.bu.h_flag'),
  'mip6.bu.l_flag': buFlag(BU_FLAG.L, 'mip6.bu.l_flag'),
  'mip6.bu.k_flag': buFlag(BU_FLAG.K, 'mip6.bu.k_flag'),
  'mip6.bu.m_flag': buFlag(BU_FLAG.M, 'mip6.bu.m_flag'),
  'mip6.nemo.bu.r_flag': buFlag(BU_FLAG.R, 'mip6.nemo.bu.r_flag'),
  'mip6.bu.p_flag': buFlag(BU_FLAG.P, 'mip6.bu.p_flag'),
  'mip6.bu.f_flag': buFlag(BU_FLAG.F, 'mip6.bu.f_flag'),
  'mip6.bu.t_flag': buFlag(BU_FLAG.T, 'mip6.bu.t_flag'),
  'mip6.bu.b_flag': buFlag(BU_FLAG.B, 'mip6.bu.b_flag'),
  'mip6.ba.status': (s, v) => (pba(s, 'mip6.ba.status').status = toNumber(v, 'mip6.ba.status')),
  'mip6.ba.seqnr': (s, v) => (pba(s, 'mip6.ba.seqnr').seq = toNumber(v, 'mip6.ba.seqnr')),
  'mip6.ba.lifetime': (s, v) => (pba(s, 'mip6.ba.lifetime').lifetime = toNumber(v, 'mip6.ba.lifetime')),
  'gretool.mip6.ba.flags': (s, v) => (pba(s, 'gretool.mip6.ba.flags').flags = toNumber(v, 'gretool.mip6.ba.flags')),
  'mip6.ba.k_flag': baFlag(BA_FLAG.K, 'mip6.ba.k_flag'),
  'mip6.nemo.ba.r_flag': baFlag(BA_FLAG.R, 'mip6.nemo.ba.r_flag'),
  'mip6.ba.p_flag': baFlag(BA_FLAG.P, 'mip6.ba.p_flag'),
  'mip6.ba.t_flag': baFlag(BA_FLAG.T, 'mip6.ba.t_flag'),
  'mip6.ba.b_flag': baFlag(BA_FLAG.B, 'mip6.ba.b_flag'),
  'mip6.gre_key': (s, v) => (firstOption(s, 'grekey', 'mip6.gre_key').key = toNumber(v, 'mip6.gre_key')),
  'mip6.ipv4dra.reserved': (s, v) => (firstOption(s, 'grekey', 'mip6.ipv4dra.reserved').reserved = toNumber(v, 'mip6.ipv4dra.reserved')),
  'mip6.hi': (s, v) => (firstOption(s, 'hi', 'mip6.hi').value = toNumber(v, 'mip6.hi')),
  'mip6.att': (s, v) => (firstOption(s, 'att', 'mip6.att').value = toNumber(v, 'mip6.att')),
  'mip6.mnid.identifier': (s, v) => (firstOption(s, 'mnid', 'mip6.mnid.identifier').id = toText(v, 'mip6.mnid.identifier')),
  'mip6.ipv4ha.ha': (s, v) => (firstOption(s, 'ipv4hareq', 'mip6.ipv4ha.ha').address = toText(v, 'mip6.ipv4ha.ha')),
  'mip6.ipv4dra.dra': (s, v) => (firstOption(s, 'ipv4dra', 'mip6.ipv4dra.dra').address = toText(v, 'mip6.ipv4dra.dra')),
};
