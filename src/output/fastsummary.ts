/**
 * The summary line's fast path: the columns of a common tunnelled data frame written straight
 * from its bytes, without the dissectors (the room architecture.md leaves for a fast path). A
 * summary run spends most of its time in the generic machinery (calls per layer, field-table
 * bookkeeping, checksums whose result the innermost protocol's Info text overwrites); for the
 * bulk of a PMIPv6 capture the line is a function of a few header fields.
 *
 * The frames it takes: the whole frame captured; link, outer IP and tunnel (GRE, IP-in-IP,
 * RFC 5845 TLV / UDP tunnel) as the correlator's fast path accepts them (sessions/fastpath.ts:
 * no fragments, options, extension headers, GRE checksums or routing); an inner IPv4 header
 * without options and not fragmented, or an inner IPv6 header without extension headers, whose
 * datagram fills the tunnel's payload exactly; and in it
 *  - UDP to Echo (port 7 as the UDP dissector picks its port),
 *  - TCP without options (Echo on port 7, or the TCP Info text with its checksum verdict),
 *  - an ICMP echo request / reply over IPv4, an ICMPv6 echo request / reply over IPv6;
 * and the Proxy Binding Updates / Acknowledgements that the correlator's signalling fast path
 * accepts (sessions/fastsig.ts: well-formed, no expert item in the full dissection) but for their
 * checksums (a wrong IPv4 header, UDP or MH checksum is an expert item that changes no column),
 * their Info text from the Mobility Header dissector's writers (dissectors/mip6/info.ts). Everything else
 * (other payloads, anything odd) goes through the dissectors.
 *
 * The text pieces come from the dissectors' own writers (tcpFlagsInfo, icmpTypeInfo,
 * echoColumns, greKeyInfo, ...), and the port choice from the dispatch tables, so the two paths
 * share one definition of what is shown. Their equality, column by column, is checked by
 * test/output/fastsummary.test.ts on every capture in the repository, the generator's scenarios
 * and faults, and randomly mutated frames.
 *
 * A frame filled here has its columns and nothing else (no fields, no expert items): the fast
 * path is for runs that print the summary alone, without colours (which follow expert items).
 */
import { table } from '../engine/dispatch.js';
import type { Packet } from '../engine/packet.js';
import type { ColumnsFastPath } from '../engine/pipeline.js';
import { ECHO_PORT, echoColumns, echoTcpDissector, echoUdpDissector } from '../dissectors/echo/index.js';
import { greKeyInfo } from '../dissectors/gre/index.js';
import { icmpEchoInfo, icmpTypeInfo } from '../dissectors/icmp/index.js';
import { icmpv6EchoInfo, icmpv6TypeInfo } from '../dissectors/icmpv6/index.js';
import { arrow, foldSum, portDissector, pseudoSum, sumBytes } from '../dissectors/ipv4/inet.js';
import { TCP_CHECKSUM_INCORRECT, tcpFlagsInfo } from '../dissectors/tcp/index.js';
import { bindingAckInfo, bindingUpdateInfo, greKeyOptionInfo, messageNameInfo, mnIdInfo } from '../dissectors/mip6/info.js';
import {
  BA_FLAG, BA_OFF_FLAGS, BA_OFF_LIFETIME, BA_OFF_OPTIONS, BA_OFF_SEQ, BA_OFF_STATUS, BU_FLAG, BU_OFF_FLAGS, BU_OFF_LIFETIME,
  BU_OFF_OPTIONS, BU_OFF_SEQ, GRE_KEY_LEN_WITH_KEY, MH_TYPE, OPT,
} from '../dissectors/mip6/layout.js';
import { FAST_DATA, FAST_PBA, FAST_PBU, FastPath } from '../sessions/fastpath.js';

const UDP_PORT = table('udp.port');
const TCP_PORT = table('tcp.port');

const IP_PROTO_ICMP = 1;
const IP_PROTO_TCP = 6;
const IP_PROTO_UDP = 17;
const IP_PROTO_ICMPV6 = 58;
const TCP_HEADER = 20;
const UDP_HEADER = 8;
const LEN_EQ = ' Len=';

function u32(d: Uint8Array, o: number): number {
  return ((d[o]! << 24) >>> 0) + ((d[o + 1]! << 16) | (d[o + 2]! << 8) | d[o + 3]!);
}

export class FastSummary implements ColumnsFastPath {
  private readonly fp = new FastPath({ signalling: true, signallingEvents: false, signallingChecksums: false });

  fill(p: Packet): boolean {
    if (p.caplen !== p.origlen) return false;
    const k = this.fp.decodePacket(p);
    if (k === FAST_DATA) return this.data(p);
    if (k === FAST_PBU || k === FAST_PBA) return this.signalling(p);
    return false;
  }

  /** A PBU/PBA that fastsig.ts accepts (well-formed; no expert item in the full dissection but a checksum one). */
  private signalling(p: Packet): boolean {
    const fp = this.fp;
    const d = p.data;
    const mh = fp.mhAt;
    const c = p.cols;
    const info = c.info;
    const type = d[mh + 2]!;
    let o: number;
    if (type === MH_TYPE.BU) {
      const flags = (d[mh + BU_OFF_FLAGS]! << 8) | d[mh + BU_OFF_FLAGS + 1]!;
      c.proto = flags & BU_FLAG.R ? 'NEMO' : 'MIPv6';
      messageNameInfo(info, type, true);
      bindingUpdateInfo(info, (d[mh + BU_OFF_SEQ]! << 8) | d[mh + BU_OFF_SEQ + 1]!, flags, (d[mh + BU_OFF_LIFETIME]! << 8) | d[mh + BU_OFF_LIFETIME + 1]!);
      o = mh + BU_OFF_OPTIONS;
    } else {
      const flags = d[mh + BA_OFF_FLAGS]!;
      c.proto = flags & BA_FLAG.R ? 'NEMO' : 'MIPv6';
      messageNameInfo(info, type, true);
      bindingAckInfo(info, d[mh + BA_OFF_STATUS]!, (d[mh + BA_OFF_SEQ]! << 8) | d[mh + BA_OFF_SEQ + 1]!, flags, (d[mh + BA_OFF_LIFETIME]! << 8) | d[mh + BA_OFF_LIFETIME + 1]!);
      o = mh + BA_OFF_OPTIONS;
    }
    // the options that write to Info (fastsig checked the walk: every Length fits, the MH ends the frame)
    const end = p.base + p.caplen;
    while (o < end) {
      const ot = d[o]!;
      if (ot === OPT.PAD1) {
        o++;
        continue;
      }
      const oe = o + 2 + d[o + 1]!;
      if (ot === OPT.MNID) mnIdInfo(info, d, o + 3, oe);
      else if (ot === OPT.GRE_KEY) greKeyOptionInfo(info, d[o + 1]!, d[o + 1] === GRE_KEY_LEN_WITH_KEY ? u32(d, o + 4) : 0);
      o = oe;
    }
    const ip = fp.ipAt;
    if (fp.ipVersion === 4) {
      c.src.ipv4(d, ip + 12);
      c.dst.ipv4(d, ip + 16);
    } else {
      c.src.ipv6(d, ip + 8);
      c.dst.ipv6(d, ip + 24);
    }
    return true;
  }

  /** A tunnelled data frame (FAST_DATA). */
  private data(p: Packet): boolean {
    const fp = this.fp;
    const ev = fp.data;
    const d = p.data;
    const base = p.base;
    const ip = fp.innerAt;
    let proto: number;
    let pay: number;
    let end: number;
    const v4 = ev.innerLen === 4;
    if (v4) {
      // (FastPath checked: version 4, header length 20, total length at least 20 and inside)
      end = ip + ((d[ip + 2]! << 8) | d[ip + 3]!);
      if (((d[ip + 6]! << 8) | d[ip + 7]!) & 0x3fff) return false; // MF or a fragment offset
      proto = d[ip + 9]!;
      pay = ip + 20;
    } else {
      end = ip + 40 + ((d[ip + 4]! << 8) | d[ip + 5]!);
      proto = d[ip + 6]!;
      pay = ip + 40;
    }
    if (end !== fp.innerEnd || pay >= end) return false;
    // the innermost IP header, as the IP dissectors leave it for the transports' checksums
    p.netVersion = v4 ? 4 : 6;
    p.netSrc = ev.innerSrc - base;
    p.netDst = ev.innerDst - base;
    let ok: boolean;
    switch (proto) {
      case IP_PROTO_UDP:
        ok = this.udp(p, d, pay, end);
        break;
      case IP_PROTO_TCP:
        ok = this.tcp(p, d, pay, end);
        break;
      case IP_PROTO_ICMP:
        ok = v4 && this.icmp(p, d, pay, end, d[ip + 8]!);
        break;
      case IP_PROTO_ICMPV6:
        ok = !v4 && this.icmpv6(p, d, pay, end, d[ip + 7]!);
        break;
      default:
        ok = false;
    }
    if (!ok) return false;
    const c = p.cols;
    if (v4) {
      c.src.ipv4(d, ev.innerSrc);
      c.dst.ipv4(d, ev.innerDst);
    } else {
      c.src.ipv6(d, ev.innerSrc);
      c.dst.ipv6(d, ev.innerDst);
    }
    if (ev.hasKey) greKeyInfo(c.info, ev.key);
    return true;
  }

  /** UDP carrying Echo. */
  private udp(p: Packet, d: Uint8Array, u: number, end: number): boolean {
    if (end - u <= UDP_HEADER) return false;
    const ulen = (d[u + 4]! << 8) | d[u + 5]!;
    if (ulen !== end - u) return false;
    const sport = (d[u]! << 8) | d[u + 1]!;
    const dport = (d[u + 2]! << 8) | d[u + 3]!;
    if (portDissector(UDP_PORT, sport, dport, null, 0, 0) !== echoUdpDissector) return false;
    echoColumns(p.cols, dport === ECHO_PORT);
    return true;
  }

  /** TCP without options: Echo, or the TCP Info text (no payload, or a payload shown as data). */
  private tcp(p: Packet, d: Uint8Array, t: number, end: number): boolean {
    const reported = end - t;
    if (reported < TCP_HEADER || (d[t + 12]! >> 4) * 4 !== TCP_HEADER) return false;
    const sport = (d[t]! << 8) | d[t + 1]!;
    const dport = (d[t + 2]! << 8) | d[t + 3]!;
    const seglen = reported - TCP_HEADER;
    const c = p.cols;
    if (seglen > 0) {
      // (null: the payload is data, shown by TCP's own text; undefined: a dissector would test it)
      const sub = portDissector(TCP_PORT, sport, dport, null, 0, 0);
      if (sub === echoTcpDissector) {
        echoColumns(c, dport === ECHO_PORT);
        return true;
      }
      if (sub !== null) return false;
    }
    c.proto = 'TCP';
    const info = c.info;
    info.dec(sport);
    arrow(info);
    info.dec(dport);
    tcpFlagsInfo(info, ((d[t + 12]! << 8) | d[t + 13]!) & 0xfff, u32(d, t + 4), u32(d, t + 8), (d[t + 14]! << 8) | d[t + 15]!, (d[t + 18]! << 8) | d[t + 19]!);
    const off = t - p.base;
    if (foldSum(sumBytes(p, off, reported, pseudoSum(p, IP_PROTO_TCP, reported))) !== 0) info.str(TCP_CHECKSUM_INCORRECT);
    info.str(LEN_EQ).dec(seglen);
    return true;
  }

  /** An ICMP echo request / reply over IPv4 (`ttl` from its IP header). */
  private icmp(p: Packet, d: Uint8Array, i: number, end: number, ttl: number): boolean {
    if (end - i < 8) return false;
    const type = d[i]!;
    if (type !== 0 && type !== 8) return false;
    const c = p.cols;
    c.proto = 'ICMP';
    icmpTypeInfo(c.info, type, d[i + 1]!);
    icmpEchoInfo(c.info, (d[i + 4]! << 8) | d[i + 5]!, (d[i + 6]! << 8) | d[i + 7]!, (d[i + 7]! << 8) | d[i + 6]!, ttl);
    return true;
  }

  /** An ICMPv6 echo request / reply over IPv6 (`hop` from its IP header). */
  private icmpv6(p: Packet, d: Uint8Array, i: number, end: number, hop: number): boolean {
    if (end - i < 8) return false;
    const type = d[i]!;
    if (type !== 128 && type !== 129) return false;
    const c = p.cols;
    c.proto = 'ICMPv6';
    icmpv6TypeInfo(c.info, type, d[i + 1]!);
    icmpv6EchoInfo(c.info, (d[i + 4]! << 8) | d[i + 5]!, (d[i + 6]! << 8) | d[i + 7]!, hop);
    return true;
  }
}
