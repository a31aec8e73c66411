/**
 * IPv6 (RFC 8200; RFC 2460 in shared/spec/rfc) and its extension headers, as Wireshark 4.0's
 * packet-ipv6.c shows them: the fixed header with hidden ipv6.addr/ipv6.host companions (and the
 * hidden ip.version Wireshark adds), then hop-by-hop (0), routing (43), fragment (44) and
 * destination options (60), each a protocol of its own registered in "ip.proto", so the walk
 * continues through the same table to the upper layer (UDP, TCP, ICMPv6, GRE 47, MH 135,
 * IPv4 4, IPv6 41...). A routing header with segments left moves the final destination used by
 * the pseudo-header (RFC 8200 §8.1) and shown in the Destination column, as Wireshark does.
 */
import { table, type Dissector } from '../../engine/dispatch.js';
import { fieldByName } from '../../engine/fields.js';
import { GENERATED, HIDDEN, type Packet } from '../../engine/packet.js';
import { inErrorPacket, reportNetEnd, req, SLOT_ADDR_COLS, SLOT_FRAGMENTED, SLOT_HOA_SRC, SLOT_ROUTE_DST } from '../ipv4/inet.js';
import { IP_PROTO_NAMES } from '../ipv4/protonames.js';
import { E, F } from './fields.js';

export { F as IPV6_FIELDS, E as IPV6_EXPERTS } from './fields.js';

export const IPV6_HEADER_SIZE = 40;
export const ETHERTYPE_IPV6 = 0x86dd;
export const IP_PROTO_HOPOPTS = 0;
export const IP_PROTO_IPV6 = 41;
export const IP_PROTO_ROUTING = 43;
export const IP_PROTO_FRAGMENT = 44;
export const IP_PROTO_NONE = 59;
export const IP_PROTO_DSTOPTS = 60;
/** p.scratch slot: frame offset just after the innermost IPv6 fixed header (hop-by-hop must start there). */
export const SLOT_V6_HDR_END = 13;

const IP_PROTO = table('ip.proto', 256);
const DATA = table('data', 1);

let ipVersionFid = -2;
/** Wireshark's hidden "ip.version" inside IPv6 (so "ip.version == 6" matches), found by name. */
function ipVersionField(): number {
  if (ipVersionFid === -2) ipVersionFid = fieldByName('ip.version')?.id ?? -1;
  return ipVersionFid;
}

/** Hands [off, end) to the next header `nxt` (extension header or upper layer). */
export function ipv6Next(p: Packet, nxt: number, off: number, end: number, parent: number): void {
  const inErr = inErrorPacket(p) || !p.colsOn; // (no column text either way)
  if (nxt === IP_PROTO_NONE) {
    if (!inErr) p.cols.info.clear().str('IPv6 no next header');
    return;
  }
  const d = IP_PROTO.get(nxt);
  if (d !== undefined && (d.accepts === undefined || d.accepts(p, off, end))) {
    p.call(d, off, end, parent);
    return;
  }
  if (!inErr) p.cols.info.clear().str('Unknown IP Protocol: ').str(IP_PROTO_NAMES[nxt] ?? 'Unknown').str(' (').dec(nxt).byte(41);
  const data = DATA.get(0);
  if (data) p.call(data, off, end, parent);
}

function address(p: Packet, fid: number, hostFid: number, o: number, root: number): void {
  p.add(fid, o, 16, root);
  p.add(F.addr, o, 16, root, HIDDEN);
  p.add(hostFid, o, 16, root, HIDDEN | GENERATED);
  p.add(F.host, o, 16, root, HIDDEN | GENERATED);
}

/** The Jumbo Payload length of the hop-by-hop header at `off`, or 0 (Wireshark's ipv6_check_jumbo_plen). */
function jumboLength(p: Packet, off: number, end: number): number {
  if (!p.has(off, 2, end)) return 0;
  const hEnd = off + (p.u8(off + 1) + 1) * 8;
  let o = off + 2;
  while (o < hEnd && p.has(o, 1, end)) {
    const t = p.u8(o);
    if (t === 0) {
      o++;
      continue;
    }
    if (!p.has(o + 1, 1, end)) return 0;
    const l = p.u8(o + 1);
    if (t === 0xc2 && l === 4 && p.has(o + 2, 4, end)) return p.u32(o + 2);
    o += 2 + l;
  }
  return 0;
}

export const ipv6Dissector: Dissector = {
  proto: F.ipv6,
  name: 'ipv6',
  dissect(p: Packet, off: number, end: number, parent: number): void {
    const inErr = inErrorPacket(p);
    const c = p.cols;
    const cols = !inErr && p.colsOn;
    if (cols) {
      c.proto = 'IPv6';
      c.info.clear();
    }
    p.need(off, 1, end);
    const version = p.u8(off) >>> 4;
    // the fixed header's fields are ipv6.* (the hidden ip.version aside): skip them when none is wanted
    const tree = p.wantsFields(F.ipv6);
    const root = p.add(F.ipv6, off, IPV6_HEADER_SIZE, parent);
    const vnode = tree ? p.addNum(F.version, off, 1, root, version) : -1;
    const ipv = ipVersionField();
    if (ipv >= 0) p.addNum(ipv, off, 1, root, version, HIDDEN);
    if (version !== 6) {
      // Wireshark rejects the packet (no "ipv6" in frame.protocols) and shows it as data
      if (cols) c.info.clear().str('Bogus IPv6 version (').dec(version).str(', must be 6)');
      p.expert(E.bogus_version, vnode);
      const data = DATA.get(0);
      if (data) p.call(data, off, end, parent);
      return;
    }
    p.pushProto(F.ipv6);
    p.ipDepth++;
    if (end - off < IPV6_HEADER_SIZE) {
      if (cols) c.info.clear().str('Invalid IPv6 header (').dec(end - off).str(' bytes, need exactly 40)');
      p.expert(E.invalid_header, root);
    }
    p.need(off, 4, end);
    if (tree) {
      const tc = p.add(F.tclass, off, 4, root);
      p.add(F.tclass_dscp, off, 4, tc);
      p.add(F.tclass_ecn, off, 4, tc);
      p.add(F.flow, off + 1, 3, root);
    }
    p.need(off + 4, 2, end);
    const plen = p.u16(off + 4);
    const plenNode = tree ? p.add(F.plen, off + 4, 2, root) : -1;
    p.need(off + 6, 1, end);
    const nxt = p.u8(off + 6);
    if (tree) p.add(F.nxt, off + 6, 1, root);
    p.need(off + 7, 1, end);
    if (tree) p.add(F.hlim, off + 7, 1, root);
    p.need(off + 8, 16, end);
    if (tree) address(p, F.src, F.src_host, off + 8, root);
    p.need(off + 24, 16, end);
    if (tree) address(p, F.dst, F.dst_host, off + 24, root);
    p.netVersion = 6;
    p.netSrc = off + 8;
    p.netDst = off + 24;
    const pay = off + IPV6_HEADER_SIZE;
    p.scratch[SLOT_V6_HDR_END] = pay;
    let ipEnd: number;
    // payload length 0: a jumbogram (RFC 2675) when hop-by-hop carries a Jumbo Payload option
    const len = plen === 0 && nxt === IP_PROTO_HOPOPTS ? jumboLength(p, pay, end) : plen;
    if (len === 0) {
      p.expert(E.plen_zero, plenNode);
      ipEnd = pay;
    } else if (len > end - pay) {
      if (!inErr) p.expert(E.plen_exceeds_framing, plenNode, end - pay);
      ipEnd = end;
    } else {
      ipEnd = pay + len;
    }
    reportNetEnd(p, ipEnd);
    const addrCols = p.scratch[SLOT_ADDR_COLS]!;
    const savedRoute = p.scratch[SLOT_ROUTE_DST]!;
    const savedHoa = p.scratch[SLOT_HOA_SRC]!;
    p.scratch[SLOT_ROUTE_DST] = -1;
    p.scratch[SLOT_HOA_SRC] = -1;
    try {
      ipv6Next(p, nxt, pay, ipEnd, parent);
    } finally {
      // the addresses go to the columns unless a tunnelled datagram put its own there; a
      // routing header with segments left names the final destination
      if (!inErr) {
        if (cols && p.scratch[SLOT_ADDR_COLS] === addrCols) {
          const route = p.scratch[SLOT_ROUTE_DST]!;
          const hoa = p.scratch[SLOT_HOA_SRC]!;
          c.src.clear().ipv6(p.data, p.base + (hoa >= 0 ? hoa : off + 8));
          c.dst.clear().ipv6(p.data, p.base + (route >= 0 ? route : off + 24));
        }
        p.scratch[SLOT_ADDR_COLS]!++;
      }
      p.scratch[SLOT_ROUTE_DST] = savedRoute;
      p.scratch[SLOT_HOA_SRC] = savedHoa;
    }
  },
};

// ------------------------------------------------------------------ extension headers

/** The options of a hop-by-hop or destination options header: [o, optEnd), reads limited to lim. */
function options(p: Packet, o: number, optEnd: number, lim: number, root: number, inErr: boolean): void {
  while (o < optEnd) {
    if (!req(p, o, 1, lim, inErr)) return;
    const t = p.u8(o);
    if (t === 0) {
      const n = p.add(F.opt, o, 1, root);
      p.add(F.opt_type, o, 1, n);
      p.add(F.opt_pad1, o, 1, n);
      o++;
      continue;
    }
    if (!req(p, o + 1, 1, lim, inErr)) return;
    const l = p.u8(o + 1);
    const n = p.add(F.opt, o, 2 + l, root);
    p.add(F.opt_type, o, 1, n);
    p.add(F.opt_type_action, o, 1, n);
    p.add(F.opt_type_change, o, 1, n);
    p.add(F.opt_type_rest, o, 1, n);
    const ln = p.add(F.opt_length, o + 1, 1, n);
    if (!req(p, o + 2, l, lim, inErr)) return;
    const v = o + 2;
    switch (t) {
      case 0x01:
        p.add(F.opt_padn, v, l, n);
        break;
      case 0x04:
        if (l === 1) p.add(F.opt_tel, v, 1, n);
        else p.expert(E.opt_invalid_len, ln, 'Tunnel Encapsulation Limit', l);
        break;
      case 0x05:
        if (l === 2) p.add(F.opt_router_alert, v, 2, n);
        else p.expert(E.opt_invalid_len, ln, 'Router alert', l);
        break;
      case 0xc2:
        if (l === 4) p.add(F.opt_jumbo, v, 4, n);
        else p.expert(E.opt_invalid_len, ln, 'Jumbo Payload', l);
        break;
      case 0xc9:
        // Home Address (RFC 6275 §6.3): the pseudo-header and the Source column use it
        if (l === 16) {
          p.add(F.opt_mipv6_home_address, v, 16, n);
          p.netSrc = v;
          if (!inErr) p.scratch[SLOT_HOA_SRC] = v;
        } else {
          p.expert(E.opt_invalid_len, ln, 'Home Address', l);
        }
        break;
      default:
        if ((t & 0x1f) === 0x1e) {
          p.add(F.opt_experimental, v, l, n);
        } else {
          p.expert(E.opt_unknown_data, p.add(F.opt_unknown, v, l, n));
        }
    }
    o = v + l;
  }
}

function optionsHeader(proto: number, nxtF: number, lenF: number, octF: number, name: string, info: string, hop: boolean): Dissector {
  return {
    proto,
    name,
    dissect(p: Packet, off: number, end: number, parent: number): void {
      p.pushProto(proto);
      const inErr = inErrorPacket(p);
      if (!inErr && p.colsOn) p.cols.info.clear().str(info);
      if (!req(p, off, 2, end, inErr)) return;
      const nxt = p.u8(off);
      const hlen = (p.u8(off + 1) + 1) * 8;
      const root = p.add(proto, off, hlen, parent);
      if (hop && off !== p.scratch[SLOT_V6_HDR_END]) p.expert(E.hopopts_not_first, root);
      p.add(nxtF, off, 1, root);
      p.add(lenF, off + 1, 1, root);
      p.addNum(octF, off + 1, 1, root, hlen);
      const hEnd = off + hlen;
      options(p, off + 2, hEnd, hEnd < end ? hEnd : end, root, inErr);
      ipv6Next(p, nxt, hEnd, end, parent);
    },
  };
}

export const hopoptsDissector = optionsHeader(F.hopopts, F.hopopts_nxt, F.hopopts_len, F.hopopts_len_oct, 'ipv6.hopopts', 'IPv6 hop-by-hop options', true);
export const dstoptsDissector = optionsHeader(F.dstopts, F.dstopts_nxt, F.dstopts_len, F.dstopts_len_oct, 'ipv6.dstopts', 'IPv6 destination options', false);

export const routingDissector: Dissector = {
  proto: F.routing,
  name: 'ipv6.routing',
  dissect(p: Packet, off: number, end: number, parent: number): void {
    p.pushProto(F.routing);
    const inErr = inErrorPacket(p);
    if (!inErr && p.colsOn) p.cols.info.clear().str('IPv6 routing');
    if (!req(p, off, 2, end, inErr)) return;
    const nxt = p.u8(off);
    const len = p.u8(off + 1);
    const hlen = (len + 1) * 8;
    const root = p.add(F.routing, off, hlen, parent);
    p.add(F.routing_nxt, off, 1, root);
    p.add(F.routing_len, off + 1, 1, root);
    p.addNum(F.routing_len_oct, off + 1, 1, root, hlen);
    if (!req(p, off + 2, 2, end, inErr)) return;
    const type = p.u8(off + 2);
    const segleft = p.u8(off + 3);
    const tnode = p.add(F.routing_type, off + 2, 1, root);
    if (type === 0) p.expert(E.routing_deprecated, tnode);
    const sl = p.add(F.routing_segleft, off + 3, 1, root);
    const hEnd = off + hlen;
    const lim = hEnd < end ? hEnd : end;
    let finalDst = -1;
    if (type === 0) {
      if (!req(p, off + 4, 4, lim, inErr)) return;
      p.add(F.routing_src_reserved, off + 4, 4, root);
      if (len & 1) p.expert(E.routing_invalid_length, root);
      const n = len >>> 1;
      for (let i = 0; i < n; i++) {
        if (!req(p, off + 8 + 16 * i, 16, lim, inErr)) return;
        p.add(F.routing_src_addr, off + 8 + 16 * i, 16, root);
      }
      if (segleft > n) p.expert(E.routing_invalid_segleft, sl, n);
      else if (segleft > 0 && n > 0) finalDst = off + 8 + 16 * (n - 1);
    } else if (type === 2) {
      if (len !== 2) p.expert(E.routing_invalid_length, root);
      if (!req(p, off + 4, 4, lim, inErr)) return;
      p.add(F.routing_mipv6_reserved, off + 4, 4, root);
      if (!req(p, off + 8, 16, lim, inErr)) return;
      p.add(F.routing_mipv6_home_address, off + 8, 16, root);
      if (segleft > 1) p.expert(E.routing_invalid_segleft, sl, 1);
      else if (segleft === 1) finalDst = off + 8;
    } else if (type === 4) {
      if (!req(p, off + 4, 4, lim, inErr)) return;
      const last = p.u8(off + 4);
      p.add(F.routing_srh_last_entry, off + 4, 1, root);
      p.add(F.routing_srh_flags, off + 5, 1, root);
      p.add(F.routing_srh_tag, off + 6, 2, root);
      for (let i = 0; i <= last && off + 8 + 16 * i < hEnd; i++) {
        if (!req(p, off + 8 + 16 * i, 16, lim, inErr)) return;
        p.add(F.routing_srh_addr, off + 8 + 16 * i, 16, root);
      }
      if (segleft > 0) finalDst = off + 8;
    } else if (hlen > 4) {
      if (!req(p, off + 4, hlen - 4, lim, inErr)) return;
      p.expert(E.routing_undecoded, p.add(F.routing_unknown_data, off + 4, hlen - 4, root));
    }
    if (finalDst >= 0) {
      p.netDst = finalDst;
      if (!inErr) p.scratch[SLOT_ROUTE_DST] = finalDst;
    }
    ipv6Next(p, nxt, hEnd, end, parent);
  },
};

export const fraghdrDissector: Dissector = {
  proto: F.fraghdr,
  name: 'ipv6.fraghdr',
  dissect(p: Packet, off: number, end: number, parent: number): void {
    p.pushProto(F.fraghdr);
    const inErr = inErrorPacket(p);
    if (!req(p, off, 8, end, inErr)) return;
    const nxt = p.u8(off);
    const offFlags = p.u16(off + 2);
    const root = p.add(F.fraghdr, off, 8, parent);
    p.add(F.fraghdr_nxt, off, 1, root);
    p.add(F.fraghdr_reserved_octet, off + 1, 1, root);
    p.add(F.fraghdr_offset, off + 2, 2, root);
    p.add(F.fraghdr_reserved_bits, off + 2, 2, root);
    p.add(F.fraghdr_more, off + 2, 2, root);
    p.add(F.fraghdr_ident, off + 4, 4, root);
    const fragOff = offFlags & 0xfff8; // in octets
    const more = offFlags & 1;
    const pay = off + 8;
    if (fragOff || more) {
      // as IPv4: a whole fragment is kept for reassembly (shown as data when never completed);
      // a first fragment cut by the snap length is dissected
      const kept = p.has(pay, end - pay, end);
      if (kept || fragOff) {
        if (!inErr && p.colsOn) {
          p.cols.info.clear().str('IPv6 fragment (off=').dec(fragOff).str(' more=').str(more ? 'y' : 'n')
            .str(' ident=').hex0x(p.u32(off + 4), 8).str(' nxt=').dec(nxt).byte(41);
        }
        const data = DATA.get(0);
        if (data) p.call(data, pay, end, parent);
        return;
      }
    }
    const savedFrag = p.scratch[SLOT_FRAGMENTED]!;
    p.scratch[SLOT_FRAGMENTED] = more ? 1 : 0;
    ipv6Next(p, nxt, pay, end, parent);
    p.scratch[SLOT_FRAGMENTED] = savedFrag;
  },
};

table('ethertype').add(ETHERTYPE_IPV6, ipv6Dissector);
table('gre.proto').add(ETHERTYPE_IPV6, ipv6Dissector);
const ipProto = table('ip.proto', 256);
ipProto.add(IP_PROTO_IPV6, ipv6Dissector);
ipProto.add(IP_PROTO_HOPOPTS, hopoptsDissector);
ipProto.add(IP_PROTO_ROUTING, routingDissector);
ipProto.add(IP_PROTO_FRAGMENT, fraghdrDissector);
ipProto.add(IP_PROTO_DSTOPTS, dstoptsDissector);
