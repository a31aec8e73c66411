/**
 * From a dissected frame to the correlator's events. One linear pass over the frame's flat
 * field table, dispatching on a per-field role table built once from the registry (field ids
 * are looked up by name at construction, never per frame).
 *
 * Layer structure, counted from the first (outer) IP header, decides what the frame is:
 *
 *   IPv6 | MH(5/6)                         → PBU / PBA            (RFC 5213)
 *   IPv4 | UDP | MH(5/6)                   → PBU / PBA            (RFC 5844 §4)
 *   IP   | GRE [| inner IP]                → data, ENCAP_GRE      (RFC 5845, IPv6-GRE / IPv4-GRE)
 *   IP   | IP                               → data, ENCAP_IPIP     (RFC 5213 / RFC 5844 IPv4 mode)
 *   IPv4 | UDP | IP                          → data, ENCAP_UDP      (RFC 5844 IPv4-UDP mode)
 *   IPv4 | UDP | TLV [| GRE] [| inner IP]   → data, ENCAP_UDP_TLV  (RFC 5845 §7 IPv4-UDP-TLV mode)
 *   IPv4 | UDP | GRE [| inner IP]           → data, ENCAP_UDP + GRE (no TLV: P-UDP-GRE-WITHOUT-TLV)
 *
 * Anything else (no IP, ICMP errors, ESP-protected signalling, ordinary traffic) gives nothing.
 * IPv6 extension headers (protocols "ipv6.*") and the "ethertype" pseudo-protocol are skipped.
 */
import { allFields, fieldByName, fieldDef, wantForFields, type FieldDef } from '../engine/fields.js';
import { HAS_NUM, HAS_STR, type Packet } from '../engine/packet.js';
import { nodeNumber, nodeString } from '../engine/values.js';
import { addrText } from './addr.js';
import { DataEvent } from './events.js';
import { BytesInterner } from './intern.js';
import { ENCAP_GRE, ENCAP_IPIP, ENCAP_UDP, ENCAP_UDP_TLV, type HomePrefix, type SignallingEvent } from './types.js';

export const EXTRACT_NONE = 0;
export const EXTRACT_PBU = 1;
export const EXTRACT_PBA = 2;
export const EXTRACT_DATA = 3;

// ---- roles
const R_NONE = 0;
// protocols (layers)
const L_IP4 = 1;
const L_IP6 = 2;
const L_GRE = 3;
const L_UDP = 4;
const L_TLV = 5;
const L_MH = 6;
const L_OTHER = 7;
const L_SKIP = 8;
// fields
const IP4_SRC = 10;
const IP4_DST = 11;
const IP6_SRC = 12;
const IP6_DST = 13;
const GRE_KEY = 14;
const GRE_SEQ = 15;
const UDP_SPORT = 16;
const UDP_DPORT = 17;
const MH_TYPE = 20;
const BU_SEQ = 21;
const BU_LIFETIME = 22;
const BU_A = 23;
const BU_H = 24;
const BU_P = 25;
const BU_F = 26;
const BU_T = 27;
const BA_STATUS = 30;
const BA_SEQ = 31;
const BA_LIFETIME = 32;
const BA_P = 33;
const BA_T = 34;
const MNID = 40;
const HNP_LEN = 41;
const HNP_PREFIX = 42;
const HI = 43;
const ATT = 44;
const OPT_GREK = 45;
const OPT_GRE_KEY = 46;
const OPT_HAREQ = 47;
const OPT_HAREP = 48;
const OPT_OTHER = 49;
const HOA_ADDR = 50;
const HOA_STATUS = 51;

/**
 * Field names per role. The first name that is registered wins, so the extractor follows the
 * dissectors' choices (Wireshark 4.0 names first, gretool's own names as alternatives).
 */
const FIELD_ROLES: readonly (readonly [number, readonly string[]])[] = [
  [IP4_SRC, ['ip.src']],
  [IP4_DST, ['ip.dst']],
  [IP6_SRC, ['ipv6.src']],
  [IP6_DST, ['ipv6.dst']],
  [GRE_KEY, ['gre.key']],
  [GRE_SEQ, ['gre.sequence_number']],
  [UDP_SPORT, ['udp.srcport']],
  [UDP_DPORT, ['udp.dstport']],
  [MH_TYPE, ['mip6.mhtype']],
  [BU_SEQ, ['mip6.bu.seqnr']],
  [BU_LIFETIME, ['mip6.bu.lifetime']],
  [BU_A, ['mip6.bu.a_flag']],
  [BU_H, ['mip6.bu.h_flag']],
  [BU_P, ['mip6.bu.p_flag']],
  [BU_F, ['mip6.bu.f_flag']],
  [BU_T, ['mip6.bu.t_flag']],
  [BA_STATUS, ['mip6.ba.status']],
  [BA_SEQ, ['mip6.ba.seqnr']],
  [BA_LIFETIME, ['mip6.ba.lifetime']],
  [BA_P, ['mip6.ba.p_flag']],
  [BA_T, ['mip6.ba.t_flag']],
  [MNID, ['mip6.mnid.identifier']],
  [HNP_LEN, ['gretool.mip6.hnp.prefix_len', 'mip6.hnp.len', 'mip6.hnp.prefix_len']],
  [HNP_PREFIX, ['gretool.mip6.hnp.prefix', 'mip6.hnp.prefix']],
  [HI, ['mip6.hi']],
  [ATT, ['mip6.att']],
  [OPT_GREK, ['mip6.options.grek']],
  [OPT_GRE_KEY, ['mip6.gre_key']],
  [OPT_HAREQ, ['mip6.options.ipv4hareq']],
  [OPT_HAREP, ['mip6.options.ipv4harep']],
  [HOA_ADDR, ['mip6.ipv4hareq.haddr', 'mip6.ipv4harep.haddr', 'mip6.ipv4ha.ha']],
  [HOA_STATUS, ['mip6.ipv4harep.status', 'mip6.ipv4aa.sts']],
];

const LAYER_ROLES: Readonly<Record<string, number>> = {
  ip: L_IP4,
  ipv6: L_IP6,
  gre: L_GRE,
  udp: L_UDP,
  'pmip6.tlv': L_TLV,
  mipv6: L_MH,
  ethertype: L_SKIP,
};

function roleOfProtocol(d: FieldDef): number {
  const r = LAYER_ROLES[d.abbrev];
  if (r !== undefined) return r;
  if (d.abbrev.startsWith('ipv6.')) return L_SKIP; // extension headers
  return L_OTHER;
}

const MAX_LAYERS = 8;

// how Extractor.num() decodes a field (0: ask nodeNumber)
const NUM_UINT = 1;
const NUM_UINT_MASKED = 2;
const NUM_BOOL = 3;
const NUM_BOOL_MASKED = 4;

/**
 * What the Extractor reads from a frame, as a want mask for the Pipeline (`pipeline.setWant`):
 * its fields, the mobility-option markers, and every protocol node (layers are told apart by
 * them). A pipeline that feeds only the Extractor dissects several times faster with it.
 */
export function extractorWant(): Uint8Array {
  const names: string[] = [];
  for (const [, list] of FIELD_ROLES) names.push(...list);
  for (const d of allFields()) if (d.abbrev.startsWith('mip6.options.')) names.push(d.abbrev);
  return wantForFields(names, { protocols: true });
}

/**
 * Turns dissected frames into events. Construct it after the dissectors are registered
 * (import '../dissectors/index.js'); fields registered later are not seen.
 */
export class Extractor {
  /** The data event of the last frame that returned EXTRACT_DATA (reused). */
  readonly data = new DataEvent();
  /** The signalling event of the last frame that returned EXTRACT_PBU / EXTRACT_PBA (new object each time). */
  signal: SignallingEvent | null = null;
  private readonly role: Uint8Array;
  // per-frame scratch
  private readonly layers = new Uint8Array(MAX_LAYERS);
  private readonly ipSrc = new Int32Array(2);
  private readonly ipDst = new Int32Array(2);
  private readonly ipLen = new Uint8Array(2);
  private readonly hnpScratch: HomePrefix[] = [];
  /** Per field id: NUM_* decoding kind, 2^shift and mask >> shift (see num()). */
  private readonly numKind: Uint8Array;
  private readonly numDiv: Float64Array;
  private readonly numMask: Float64Array;
  /** Address and MN-ID texts of signalling, decoded once per distinct value (see intern.ts). */
  private readonly addrs = new BytesInterner((d, start, end) => addrText(d, start, end - start));
  private readonly utf8 = new TextDecoder();
  private readonly ids = new BytesInterner((d, start, end) => this.utf8.decode(d.subarray(start, end)));

  constructor() {
    const defs = allFields();
    const role = new Uint8Array(defs.length);
    for (const d of defs) if (d.type === 'protocol') role[d.id] = roleOfProtocol(d);
    for (const [r, names] of FIELD_ROLES) {
      for (const n of names) {
        const d = fieldByName(n);
        if (d) {
          role[d.id] = r;
          break;
        }
      }
    }
    // every other MH option marker ends the option context (HoA fields belong to 36/37 only)
    for (const d of defs) if (d.abbrev.startsWith('mip6.options.') && role[d.id] === R_NONE) role[d.id] = OPT_OTHER;
    this.role = role;
    // how num() decodes each field (nodeNumber's rules for the common cases, constants hoisted)
    this.numKind = new Uint8Array(defs.length);
    this.numDiv = new Float64Array(defs.length).fill(1);
    this.numMask = new Float64Array(defs.length);
    for (const d of defs) {
      const unsigned = d.type === 'uint8' || d.type === 'uint16' || d.type === 'uint24' || d.type === 'uint32';
      if (unsigned) this.numKind[d.id] = d.mask ? NUM_UINT_MASKED : NUM_UINT;
      else if (d.type === 'boolean') this.numKind[d.id] = d.mask ? NUM_BOOL_MASKED : NUM_BOOL;
      this.numDiv[d.id] = 2 ** d.shift;
      this.numMask[d.id] = d.mask / 2 ** d.shift;
    }
  }

  /**
   * Reads one dissected frame. Returns EXTRACT_NONE, EXTRACT_PBU / EXTRACT_PBA (event in
   * `signal`) or EXTRACT_DATA (event in `data`, valid until the next frame).
   */
  extract(p: Packet): number {
    const t = p.tree;
    const n = t.count;
    const fid = t.fid;
    const role = this.role;
    const nroles = role.length;
    const layers = this.layers;
    let nl = 0; // layers from the outer IP on
    let ipCount = 0;
    let innerDone = false;
    let mhAt = -1;
    let greKey = -1;
    let greSeq = -1;
    let sport = -1;
    let dport = -1;
    const ipSrc = this.ipSrc;
    const ipDst = this.ipDst;
    ipSrc[0] = ipSrc[1] = ipDst[0] = ipDst[1] = -1;
    let i = 0;
    for (; i < n; i++) {
      const f = fid[i]!;
      if (f < 0 || f >= nroles) continue;
      const r = role[f]!;
      if (r === R_NONE) continue;
      if (r < 10) {
        if (r === L_SKIP) continue;
        if (nl === 0) {
          if (r !== L_IP4 && r !== L_IP6) continue; // link layers before the outer IP
        } else if (nl === 1 && r === L_OTHER) return EXTRACT_NONE; // not a tunnel, not signalling
        if (nl >= MAX_LAYERS) break;
        layers[nl++] = r;
        if (r === L_IP4 || r === L_IP6) {
          if (ipCount < 2) this.ipLen[ipCount] = r === L_IP4 ? 4 : 16;
          ipCount++;
          if (ipCount > 2) break;
        } else if (r === L_MH) {
          mhAt = i;
          break; // the MH fields are read by readMh() from here
        } else if (innerDone) break;
        continue;
      }
      switch (r) {
        case IP4_SRC:
        case IP6_SRC:
          if (ipCount >= 1 && ipCount <= 2 && ipSrc[ipCount - 1]! < 0) ipSrc[ipCount - 1] = i;
          break;
        case IP4_DST:
        case IP6_DST:
          if (ipCount >= 1 && ipCount <= 2 && ipDst[ipCount - 1]! < 0) {
            ipDst[ipCount - 1] = i;
            if (ipCount === 2) innerDone = true;
          }
          break;
        case GRE_KEY:
          if (greKey < 0) greKey = i;
          break;
        case GRE_SEQ:
          if (greSeq < 0) greSeq = i;
          break;
        case UDP_SPORT:
          if (sport < 0) sport = i;
          break;
        case UDP_DPORT:
          if (dport < 0) dport = i;
          break;
      }
      if (innerDone && ipCount === 2) break;
    }
    if (nl < 2 || ipSrc[0]! < 0 || ipDst[0]! < 0) return EXTRACT_NONE;
    const l1 = layers[1]!;
    const l2 = nl > 2 ? layers[2]! : 0;
    const l3 = nl > 3 ? layers[3]! : 0;
    // ---- signalling
    if (mhAt >= 0) {
      const viaUdp = l1 === L_UDP && l2 === L_MH;
      if (!(l1 === L_MH || viaUdp)) return EXTRACT_NONE;
      return this.readMh(p, mhAt, viaUdp, sport, dport);
    }
    // ---- data
    let encap: number;
    let innerLayer: number; // index in layers of the inner IP, or -1
    if (l1 === L_GRE) {
      encap = ENCAP_GRE;
      innerLayer = 2;
    } else if (l1 === L_IP4 || l1 === L_IP6) {
      encap = ENCAP_IPIP;
      innerLayer = 1;
    } else if (l1 === L_UDP) {
      if (l2 === L_TLV) {
        encap = ENCAP_UDP_TLV;
        innerLayer = l3 === L_GRE ? 4 : 3;
      } else if (l2 === L_IP4 || l2 === L_IP6) {
        encap = ENCAP_UDP;
        innerLayer = 2;
      } else if (l2 === L_GRE) {
        encap = ENCAP_UDP; // GRE in UDP without the TLV header (P-UDP-GRE-WITHOUT-TLV)
        innerLayer = 3;
      } else return EXTRACT_NONE;
    } else return EXTRACT_NONE;
    const ev = this.data;
    ev.reset();
    ev.frame = p.number;
    ev.tsSec = p.tsSec;
    ev.tsNsec = p.tsNsec;
    ev.bytes = p.origlen;
    ev.data = p.data;
    const base = p.base;
    ev.outerLen = this.ipLen[0]!;
    ev.outerSrc = base + t.off[ipSrc[0]!]!;
    ev.outerDst = base + t.off[ipDst[0]!]!;
    ev.encap = encap;
    const innerL = innerLayer < nl ? layers[innerLayer]! : 0;
    if ((innerL === L_IP4 || innerL === L_IP6) && ipSrc[1]! >= 0 && ipDst[1]! >= 0) {
      ev.innerLen = this.ipLen[1]!;
      ev.innerSrc = base + t.off[ipSrc[1]!]!;
      ev.innerDst = base + t.off[ipDst[1]!]!;
    }
    if (l1 === L_GRE || (l1 === L_UDP && (l2 === L_GRE || (l2 === L_TLV && l3 === L_GRE)))) {
      ev.gre = true;
      if (greKey >= 0) {
        ev.hasKey = true;
        ev.key = nodeNumber(p, greKey) >>> 0;
      }
      if (greSeq >= 0) {
        ev.hasSeq = true;
        ev.seq = nodeNumber(p, greSeq) >>> 0;
      }
    }
    if (l1 === L_UDP) {
      if (sport >= 0) ev.sport = nodeNumber(p, sport);
      if (dport >= 0) ev.dport = nodeNumber(p, dport);
    }
    return EXTRACT_DATA;
  }

  /** Reads a PBU/PBA from the MH protocol node at `mh` on. Slow path: allocates the event. */
  private readMh(p: Packet, mh: number, viaUdp: boolean, sportNode: number, dportNode: number): number {
    const t = p.tree;
    const role = this.role;
    const nroles = role.length;
    let type = -1;
    let seq = -1;
    let lifetime = -1;
    let status = -1;
    let a = false;
    let h = false;
    let pf = false;
    let f = false;
    let tf = false;
    let mnId: string | null = null;
    let hi = -1;
    let att = -1;
    let greKeyLen = -1;
    let greKey: number | null = null;
    let greCount = 0;
    let curOpt = 0;
    let hoa: string | null = null;
    let hoaStatus = -1;
    let hnpLen = -1;
    const hnp = this.hnpScratch;
    hnp.length = 0;
    for (let i = mh + 1; i < t.count; i++) {
      const fid = t.fid[i]!;
      if (fid < 0 || fid >= nroles) continue;
      const r = role[fid]!;
      if (r === R_NONE) continue;
      if (r < 10) {
        if (r === L_SKIP) continue;
        break; // a protocol after the MH (or a second MH) ends it
      }
      switch (r) {
        case MH_TYPE: type = this.num(p, i); break;
        case BU_SEQ: if (type === 5) seq = this.num(p, i); break;
        case BU_LIFETIME: if (type === 5) lifetime = this.num(p, i); break;
        case BU_A: a = this.num(p, i) === 1; break;
        case BU_H: h = this.num(p, i) === 1; break;
        case BU_P: if (type === 5) pf = this.num(p, i) === 1; break;
        case BU_F: f = this.num(p, i) === 1; break;
        case BU_T: if (type === 5) tf = this.num(p, i) === 1; break;
        case BA_STATUS: status = this.num(p, i); break;
        case BA_SEQ: if (type === 6) seq = this.num(p, i); break;
        case BA_LIFETIME: if (type === 6) lifetime = this.num(p, i); break;
        case BA_P: if (type === 6) pf = this.num(p, i) === 1; break;
        case BA_T: if (type === 6) tf = this.num(p, i) === 1; break;
        case MNID: if (mnId === null) mnId = this.stringOf(p, i) ?? null; break;
        case HNP_LEN: hnpLen = this.num(p, i); break;
        case HNP_PREFIX:
          if (t.off[i]! >= 0 && t.off[i]! + 16 <= p.caplen) {
            hnp.push({ prefix: this.addrText(p, t.off[i]!, 16), len: hnpLen >= 0 ? hnpLen : 64 });
          }
          hnpLen = -1;
          break;
        case HI: if (hi < 0) hi = this.num(p, i); break;
        case ATT: if (att < 0) att = this.num(p, i); break;
        case OPT_GREK: {
          curOpt = OPT_GREK;
          greCount++;
          const off = t.off[i]!;
          if (greCount === 1 && off >= 0 && off + 2 <= p.caplen) greKeyLen = p.u8(off + 1);
          break;
        }
        case OPT_GRE_KEY:
          if (greCount <= 1 && greKey === null) {
            const v = this.num(p, i);
            if (v === v) greKey = v >>> 0;
          }
          break;
        case OPT_HAREQ: curOpt = type === 5 ? OPT_HAREQ : OPT_OTHER; break;
        case OPT_HAREP: curOpt = type === 6 ? OPT_HAREP : OPT_OTHER; break;
        case OPT_OTHER: curOpt = OPT_OTHER; break;
        case HOA_ADDR:
          if ((curOpt === OPT_HAREQ || curOpt === OPT_HAREP) && hoa === null && t.off[i]! >= 0 && t.off[i]! + 4 <= p.caplen) {
            hoa = this.addrText(p, t.off[i]!, 4);
          }
          break;
        case HOA_STATUS: if (curOpt === OPT_HAREP && hoaStatus < 0) hoaStatus = this.num(p, i); break;
      }
    }
    if ((type !== 5 && type !== 6) || seq < 0 || lifetime < 0) return EXTRACT_NONE;
    if (type === 5 && !pf) return EXTRACT_NONE; // a MIPv6 Binding Update, not a proxy registration
    if (type === 6 && status < 0) return EXTRACT_NONE;
    const src = this.addrText(p, t.off[this.ipSrc[0]!]!, this.ipLen[0]!);
    const dst = this.addrText(p, t.off[this.ipDst[0]!]!, this.ipLen[0]!);
    this.signal = {
      type: type === 5 ? 'pbu' : 'pba',
      frame: p.number,
      tsSec: p.tsSec,
      tsNsec: p.tsNsec,
      src,
      dst,
      ipVersion: this.ipLen[0] === 4 ? 4 : 6,
      udp: viaUdp,
      sport: viaUdp && sportNode >= 0 ? this.num(p, sportNode) : 0,
      dport: viaUdp && dportNode >= 0 ? this.num(p, dportNode) : 0,
      seq,
      lifetime,
      status: type === 6 ? status : -1,
      aFlag: a,
      hFlag: h,
      pFlag: pf,
      fFlag: f,
      tFlag: tf,
      mnId,
      greKeyLen,
      greKey: greKeyLen === 6 ? greKey : null,
      greKeyCount: greCount,
      hnp: hnp.slice(),
      hi,
      att,
      ipv4Hoa: hoa,
      ipv4HoaStatus: hoaStatus,
    };
    return type === 5 ? EXTRACT_PBU : EXTRACT_PBA;
  }

  /** addrText of the address at frame offset `off` (interned). */
  private addrText(p: Packet, off: number, len: number): string {
    const start = p.base + off;
    return this.addrs.get(p.data, start, start + len);
  }

  /** nodeString(p, node) for the MN-ID: the same text, decoded once per distinct identifier. */
  private stringOf(p: Packet, node: number): string | undefined {
    const t = p.tree;
    if (t.flags[node]! & HAS_STR) return t.strs[node];
    const off = t.off[node]!;
    const start = p.base + off;
    const end = start + t.len[node]!;
    if (off < 0 || end < start || end > p.data.length || fieldDef(t.fid[node]!).type !== 'string') return nodeString(p, node);
    return this.ids.get(p.data, start, end);
  }

  /**
   * nodeNumber(p, node) for the fields readMh reads (same value): unsigned integers and
   * booleans of up to 4 octets are decoded here with per-field constants (nodeNumber computes
   * 2 ** shift for every call); anything else goes to nodeNumber.
   */
  private num(p: Packet, node: number): number {
    const t = p.tree;
    if (t.flags[node]! & HAS_NUM) return t.num[node]!;
    const fid = t.fid[node]!; // readMh only asks for nodes with a role: fid >= 0
    const kind = this.numKind[fid]!;
    const len = t.len[node]!;
    const off = t.off[node]!;
    if (kind === 0 || len <= 0 || len > 4 || off < 0) return nodeNumber(p, node);
    const d = p.data;
    let i = p.base + off;
    let raw = 0;
    for (let k = 0; k < len; k++) raw = raw * 256 + d[i++]!;
    switch (kind) {
      case NUM_UINT: return raw;
      case NUM_UINT_MASKED: return Math.floor(raw / this.numDiv[fid]!) & this.numMask[fid]!;
      case NUM_BOOL: return raw !== 0 ? 1 : 0;
      default: return (Math.floor(raw / this.numDiv[fid]!) & 1) !== 0 ? 1 : 0;
    }
  }
}
