/**
 * The correlator's fast path (gopacket's DecodingLayerParser idea, architecture.md): decodes
 * just the headers a tunnelled data frame needs for attribution — link, outer IP, GRE / UDP /
 * TLV, inner IP addresses — straight from the record's bytes into the reused DataEvent, with no
 * field table. It handles only the common, well-formed shapes and says FAST_FALLBACK for
 * everything else (fragments, IP options, IPv6 extension headers, unusual GRE, malformed or
 * truncated headers, unknown link types), which then goes through the full dissectors and the
 * Extractor. With `signalling: true` it also decodes well-formed PBUs/PBAs (fastsig.ts: only
 * frames whose full dissection raises no expert item); without, signalling falls back too.
 * `gretool sessions` and `gretool lint` use it; `gretool dissect` only for its session fields.
 *
 * Equivalence with the full path (same events, same attribution) is checked frame by frame,
 * data and signalling, by test/sessions/fastpath.test.ts (a corpus of odd frames) and
 * test/sessions/fastsig.test.ts (odd signalling, every capture in the repository, the
 * generator's scenarios and faults, benchmark traffic). Bit layouts come from the dissectors'
 * layout.ts files.
 */
import type { PacketRecord } from '../capture/types.js';
import { viewOf } from '../capture/view.js';
import type { Packet } from '../engine/packet.js';
import {
  GRE_FLAG_CHECKSUM,
  GRE_FLAG_KEY,
  GRE_FLAG_SEQUENCE,
  GRE_PROTO_IPV4,
  GRE_PROTO_IPV6,
  IP_PROTO_GRE,
} from '../dissectors/gre/layout.js';
import { PMIP6_CNTL_PORT, PMIP6_DATA_PORT, TLV_NH_GRE, TLV_NH_IPV4, TLV_NH_IPV6 } from '../dissectors/pmip6udp/layout.js';
import { IPPROTO_MH, IPPROTO_NONE } from '../dissectors/mip6/layout.js';
import type { AddrTable } from './addr.js';
import { DataEvent } from './events.js';
import { SIG_PBU, SignalDecoder } from './fastsig.js';
import { ENCAP_GRE, ENCAP_IPIP, ENCAP_UDP, ENCAP_UDP_TLV, type SignallingEvent } from './types.js';

/** Not tunnelled data and not signalling: the full path would extract nothing either. */
export const FAST_NONE = 0;
/** A data event is in `FastPath.data`. */
export const FAST_DATA = 1;
/** Needs the full dissectors. */
export const FAST_FALLBACK = 2;
/** A Proxy Binding Update / Acknowledgement is in `FastPath.signal` (only with `signalling: true`). */
export const FAST_PBU = 3;
export const FAST_PBA = 4;

// link types (pcap LINKTYPE_*)
const LT_ETHERNET = 1;
const LT_RAW = 101;
const LT_RAW_OPENBSD = 12;
const LT_IPV4 = 228;
const LT_IPV6 = 229;
const LT_SLL = 113;
const LT_SLL2 = 276;

const ET_IPV4 = 0x0800;
const ET_IPV6 = 0x86dd;
const ET_VLAN = 0x8100;
const ET_QINQ = 0x88a8;
const ET_QINQ_OLD = 0x9100;

const GRE_ALLOWED_FLAGS = GRE_FLAG_CHECKSUM | GRE_FLAG_KEY | GRE_FLAG_SEQUENCE;

export interface FastPathOptions {
  /**
   * Also decode well-formed PBU/PBA (fastsig.ts): FAST_PBU / FAST_PBA with the event in
   * `signal`. Such a frame raises no expert item in the full dissection either (the linter
   * relies on it). Default false: signalling is FAST_FALLBACK.
   */
  signalling?: boolean;
  /**
   * With `signalling`: false to have PBU/PBA recognised (FAST_PBU / FAST_PBA, `mhAt`, `ipAt`)
   * without their events being built (default true). The summary fast path reads the bytes itself.
   */
  signallingEvents?: boolean;
  /**
   * With `signalling`: false to accept PBU/PBA whatever their IPv4 header, UDP and MH checksums
   * (default true: a wrong checksum is an expert item, so such a frame falls back). For the
   * summary fast path: a wrong checksum changes no summary column.
   */
  signallingChecksums?: boolean;
  /**
   * With `signalling`: the address table of the correlator the events go to
   * (Correlator.addressTable). The events' addresses are interned there as they are decoded,
   * and the correlator then finds them by their text without parsing it back. Default: a table
   * of the decoder's own.
   */
  addresses?: AddrTable;
}

export class FastPath {
  readonly data = new DataEvent();
  /**
   * After FAST_DATA: where the inner IP header starts in `data.data`, and where the tunnel's
   * payload ends (the outer IP datagram's or the UDP datagram's end), both as indexes into the
   * record's buffer. The inner header is whole; the datagram it announces ends at or before
   * `innerEnd`.
   */
  innerAt = 0;
  innerEnd = 0;
  private readonly sig: SignalDecoder | null;

  constructor(opts: FastPathOptions = {}) {
    this.sig = opts.signalling === true ? new SignalDecoder(opts.signallingEvents !== false, opts.signallingChecksums !== false, opts.addresses) : null;
  }

  /** After FAST_PBU / FAST_PBA: where the Mobility Header starts (an index into the record's buffer). */
  get mhAt(): number {
    return this.sig!.mh;
  }

  /** After FAST_PBU / FAST_PBA: where the IP header (IPv6, or IPv4 of IPv4/UDP) starts, and its version. */
  ipAt = 0;
  ipVersion = 0;

  /** The event of the last FAST_PBU / FAST_PBA (a new object each time, kept by the correlator). */
  get signal(): SignallingEvent {
    return this.sig!.signal!;
  }

  /** The record decodePacket() hands to decode(), refilled from the Packet each time. */
  private readonly rec: PacketRecord = {
    frameNumber: 0, fileOffset: 0, data: new Uint8Array(0), offset: 0, caplen: 0, origlen: 0,
    tsSec: 0, tsNsec: 0, interfaceId: 0, linkType: 0, comments: undefined,
  };

  /** Decodes the frame a Packet holds (its bytes, lengths, link type, number and time), as decode() does a record. */
  decodePacket(p: Packet): number {
    const rec = this.rec;
    rec.data = p.data;
    rec.offset = p.base;
    rec.caplen = p.caplen;
    rec.origlen = p.origlen;
    rec.linkType = p.linkType;
    rec.frameNumber = p.number;
    rec.tsSec = p.tsSec;
    rec.tsNsec = p.tsNsec;
    return this.decode(rec);
  }

  /** Decodes one record; see FAST_*. */
  decode(rec: PacketRecord): number {
    const d = rec.data;
    const v = viewOf(d); // 16- and 32-bit fields are one read each
    const base = rec.offset;
    const cap = rec.caplen;
    const orig = rec.origlen < cap ? cap : rec.origlen;
    // reported end of the frame = origlen; captured = caplen. Only fully captured headers here.
    let off: number;
    let et: number;
    switch (rec.linkType) {
      case LT_ETHERNET: {
        if (cap < 14) return FAST_FALLBACK;
        et = v.getUint16(base + 12);
        off = 14;
        while (et === ET_VLAN || et === ET_QINQ || et === ET_QINQ_OLD) {
          if (cap < off + 4) return FAST_FALLBACK;
          et = v.getUint16(base + off + 2);
          off += 4;
        }
        break;
      }
      case LT_SLL:
        if (cap < 16) return FAST_FALLBACK;
        if ((v.getUint16(base + 2)) !== 1) return FAST_FALLBACK; // ARPHRD_ETHER only
        et = v.getUint16(base + 14);
        off = 16;
        break;
      case LT_SLL2:
        if (cap < 20) return FAST_FALLBACK;
        if ((v.getUint16(base + 8)) !== 1) return FAST_FALLBACK;
        et = v.getUint16(base);
        off = 20;
        break;
      case LT_RAW:
      case LT_RAW_OPENBSD:
      case LT_IPV4:
      case LT_IPV6: {
        if (cap < 1) return FAST_FALLBACK;
        const v = d[base]! >> 4;
        et = v === 4 ? ET_IPV4 : v === 6 ? ET_IPV6 : 0;
        if ((rec.linkType === LT_IPV4 && v !== 4) || (rec.linkType === LT_IPV6 && v !== 6)) return FAST_FALLBACK;
        off = 0;
        break;
      }
      default:
        return FAST_FALLBACK;
    }
    if (et !== ET_IPV4 && et !== ET_IPV6) return et < 0x0600 ? FAST_FALLBACK : FAST_NONE;
    // ---- outer IP
    const o = off;
    let proto: number;
    let end: number; // reported end of the outer IP payload
    let pay: number;
    if (et === ET_IPV4) {
      if (cap < o + 20) return FAST_FALLBACK;
      const vhl = d[base + o]!;
      if (vhl !== 0x45) return FAST_FALLBACK; // version 4 without options
      const tot = v.getUint16(base + o + 2);
      if (tot < 20 || o + tot > orig) return FAST_FALLBACK;
      if ((d[base + o + 6]! & 0x3f) | d[base + o + 7]!) return FAST_FALLBACK; // MF or fragment offset
      proto = d[base + o + 9]!;
      end = o + tot;
      pay = o + 20;
    } else {
      if (cap < o + 40) return FAST_FALLBACK;
      if (d[base + o]! >> 4 !== 6) return FAST_FALLBACK;
      const plen = v.getUint16(base + o + 4);
      if (plen === 0 || o + 40 + plen > orig) return FAST_FALLBACK; // jumbo / bogus
      proto = d[base + o + 6]!;
      end = o + 40 + plen;
      pay = o + 40;
    }
    if (pay >= end) return FAST_FALLBACK;
    const ev = this.data;
    ev.reset();
    let inner: number; // offset of the inner IP header
    let innerV: number; // expected version, 0 = by nibble
    if (proto === IP_PROTO_GRE) {
      const g = this.gre(d, base, cap, pay, end, ev);
      if (g < 0) return FAST_FALLBACK;
      ev.encap = ENCAP_GRE;
      inner = g;
      innerV = this.greProto === GRE_PROTO_IPV4 ? 4 : 6;
    } else if (proto === 4 || proto === 41) {
      ev.encap = ENCAP_IPIP;
      inner = pay;
      innerV = proto === 4 ? 4 : 6;
    } else if (proto === 17) {
      if (cap < pay + 8) return FAST_FALLBACK;
      const sport = v.getUint16(base + pay);
      const dport = v.getUint16(base + pay + 2);
      const isData = sport === PMIP6_DATA_PORT || dport === PMIP6_DATA_PORT;
      const isCntl = sport === PMIP6_CNTL_PORT || dport === PMIP6_CNTL_PORT;
      // the UDP dissector tries the lower port first: only when that is a PMIPv6 port is the
      // payload surely given to the PMIPv6 demultiplexer (other UDP: the dissectors decide)
      const lo = sport < dport ? sport : dport;
      if ((!isData && !isCntl) || (lo !== PMIP6_DATA_PORT && lo !== PMIP6_CNTL_PORT)) return FAST_FALLBACK;
      const ulen = v.getUint16(base + pay + 4);
      if (ulen < 8 || pay + ulen !== end) return FAST_FALLBACK;
      const up = pay + 8;
      if (up >= end || cap < up + 4) return FAST_FALLBACK;
      ev.sport = sport;
      ev.dport = dport;
      const b0 = d[base + up]!;
      const nib = b0 >> 4;
      if (nib === 0) {
        // RFC 5845 TLV header: Type 0, Res 0, Length = UDP length - 12
        const nh = d[base + up + 1]!;
        const tlen = v.getUint16(base + up + 2);
        if (b0 !== 0 || tlen !== ulen - 12 || !isData) return FAST_FALLBACK;
        ev.encap = ENCAP_UDP_TLV;
        const tp = up + 4;
        if (tp >= end) return FAST_FALLBACK;
        if (nh === TLV_NH_GRE) {
          const g = this.gre(d, base, cap, tp, end, ev);
          if (g < 0) return FAST_FALLBACK;
          inner = g;
          innerV = this.greProto === GRE_PROTO_IPV4 ? 4 : 6;
        } else if (nh === TLV_NH_IPV4 || nh === TLV_NH_IPV6) {
          inner = tp;
          innerV = nh === TLV_NH_IPV4 ? 4 : 6;
        } else return FAST_FALLBACK;
      } else if ((nib === 4 || nib === 6) && isData) {
        ev.encap = ENCAP_UDP;
        inner = up;
        innerV = nib;
      } else if (b0 === IPPROTO_NONE && et === ET_IPV4 && this.sig !== null) {
        return this.signalling(rec, o, 4); // Mobility Header over IPv4/UDP (RFC 5844)
      } else return FAST_FALLBACK; // Mobility Header, GRE without TLV, unknown payloads
    } else if (proto === IPPROTO_MH && et === ET_IPV6 && this.sig !== null) {
      return this.signalling(rec, o, 6);
    } else if (proto === 135 || proto === 62 || proto === 0 || proto === 43 || proto === 44 || proto === 60 || proto === 50 || proto === 51) {
      return FAST_FALLBACK; // signalling, IPv6 extension headers, IPsec
    } else {
      return FAST_NONE;
    }
    // ---- inner IP: only a clean, fully captured header; else the full path decides
    if (inner >= end || cap < inner + 1) return FAST_FALLBACK;
    const iv = d[base + inner]! >> 4;
    if (iv !== innerV) return FAST_FALLBACK;
    if (iv === 4) {
      if (cap < inner + 20 || d[base + inner]! !== 0x45) return FAST_FALLBACK;
      const tot = v.getUint16(base + inner + 2);
      if (tot < 20 || inner + tot > end) return FAST_FALLBACK;
      ev.innerLen = 4;
      ev.innerSrc = base + inner + 12;
      ev.innerDst = base + inner + 16;
    } else {
      if (cap < inner + 40) return FAST_FALLBACK;
      const plen = v.getUint16(base + inner + 4);
      if (inner + 40 + plen > end) return FAST_FALLBACK;
      ev.innerLen = 16;
      ev.innerSrc = base + inner + 8;
      ev.innerDst = base + inner + 24;
    }
    this.innerAt = base + inner;
    this.innerEnd = base + end;
    ev.frame = rec.frameNumber;
    ev.tsSec = rec.tsSec;
    ev.tsNsec = rec.tsNsec;
    ev.bytes = orig;
    ev.data = d;
    if (et === ET_IPV4) {
      ev.outerLen = 4;
      ev.outerSrc = base + o + 12;
      ev.outerDst = base + o + 16;
    } else {
      ev.outerLen = 16;
      ev.outerSrc = base + o + 8;
      ev.outerDst = base + o + 24;
    }
    return FAST_DATA;
  }

  /**
   * A PBU/PBA in the IP datagram at `ip`: only after the link layers whose dissectors can add
   * nothing to it (Ethernet without tags, with a unicast source, or raw IP) and when the whole
   * frame is captured; the rest is checked by SignalDecoder.
   */
  private signalling(rec: PacketRecord, ip: number, v: number): number {
    const cap = rec.caplen;
    if (rec.origlen !== cap) return FAST_FALLBACK;
    const lt = rec.linkType;
    if (lt === LT_ETHERNET) {
      if (ip !== 14 || rec.data[rec.offset + 6]! & 1) return FAST_FALLBACK; // VLAN tags; eth.src.ig
    } else if (lt !== LT_RAW && lt !== LT_IPV4 && lt !== LT_IPV6) return FAST_FALLBACK;
    this.ipAt = rec.offset + ip;
    this.ipVersion = v;
    const k = this.sig!.decode(rec.data, rec.offset, cap, ip, v, rec.frameNumber, rec.tsSec, rec.tsNsec);
    return k === 0 ? FAST_FALLBACK : k === SIG_PBU ? FAST_PBU : FAST_PBA;
  }

  private greProto = 0;

  /** Plain GRE version 0 (C/K/S only) carrying IPv4/IPv6: fills key/seq, returns the payload offset or -1. */
  private gre(d: Uint8Array, base: number, cap: number, g: number, end: number, ev: DataEvent): number {
    if (cap < g + 4) return -1;
    const v = viewOf(d);
    const flags = v.getUint16(base + g);
    if (flags & ~GRE_ALLOWED_FLAGS & 0xffff) return -1; // R, s, Recur, reserved bits, version
    const gp = v.getUint16(base + g + 2);
    if (gp !== GRE_PROTO_IPV4 && gp !== GRE_PROTO_IPV6) return -1;
    if (flags & GRE_FLAG_CHECKSUM) return -1; // the checksum over the payload: leave it to the dissector
    let p = g + 4;
    ev.gre = true;
    if (flags & GRE_FLAG_KEY) {
      if (cap < p + 4) return -1;
      ev.hasKey = true;
      ev.key = v.getUint32(base + p);
      p += 4;
    }
    if (flags & GRE_FLAG_SEQUENCE) {
      if (cap < p + 4) return -1;
      ev.hasSeq = true;
      ev.seq = v.getUint32(base + p);
      p += 4;
    }
    if (p >= end) return -1;
    this.greProto = gp;
    return p;
  }
}
