/**
 * IPv4 (RFC 791), as Wireshark 4.0's packet-ip.c shows it with checksum verification on:
 * every header field, the hidden ip.addr/ip.host companions, options, the header checksum,
 * fragments shown as data (gretool does not reassemble: a fragment looks as it does in tshark
 * when its datagram is never completed), and the payload dispatched through "ip.proto".
 * Registered on Ethertype 0x0800, on IP protocol 4 (IPv4-in-IPv4) and on GRE protocol 0x0800.
 */
import { table, type Dissector } from '../../engine/dispatch.js';
import { FieldGroup, GENERATED, HIDDEN, type Packet } from '../../engine/packet.js';
import { E, F } from './fields.js';
import { CK_BAD, CK_GOOD, CK_UNVERIFIED, foldSum, inErrorPacket, reportNetEnd, SLOT_ADDR_COLS, SLOT_FRAGMENTED, sumBytes } from './inet.js';
import { dissectIpv4Options, sourceRouteDst } from './options.js';
import { IP_PROTO_NAMES } from './protonames.js';

export { F as IPV4_FIELDS, E as IPV4_EXPERTS } from './fields.js';
export { IP_PROTO_NAMES } from './protonames.js';
export * from './inet.js';

export const IPV4_MIN_HEADER = 20;
export const ETHERTYPE_IPV4 = 0x0800;
export const IP_PROTO_IPV4 = 4;
export const IP_PROTO_PIM = 103;
export const IP_PROTO_OSPF = 89;
export const IP_FLAG_MF = 0x2000;
export const IP_OFFSET_MASK = 0x1fff;

const IP_PROTO = table('ip.proto', 256);
// fields added together, skipped together
const DS_FIELDS = new FieldGroup([F.dsfield, F.dscp, F.ecn]);
const FLAG_FIELDS = new FieldGroup([F.flags, F.flags_rb, F.flags_df, F.flags_mf, F.frag_offset]);
const CK_FIELDS = new FieldGroup([F.checksum, F.checksum_status, F.checksum_calculated]);
const SRC_FIELDS = new FieldGroup([F.src, F.addr, F.src_host, F.host]);
const DST_FIELDS = new FieldGroup([F.dst, F.addr, F.dst_host, F.host, F.cur_rt, F.cur_rt_host]);
const DATA = table('data', 1);
const ETHERTYPE = table('ethertype');

/** "%s (%u)" with Wireshark's protocol names ("Unknown" when unnamed). */
function protoName(n: number): string {
  return IP_PROTO_NAMES[n] ?? 'Unknown';
}

export const ipv4Dissector: Dissector = {
  proto: F.ip,
  name: 'ip',
  dissect(p: Packet, off: number, end: number, parent: number): void {
    const inErr = inErrorPacket(p);
    const c = p.cols;
    // columns: not inside an ICMP error's quotation, and only when someone prints them
    const cols = !inErr && p.colsOn;
    if (cols) {
      c.proto = 'IPv4';
      c.info.clear();
    }
    p.pushProto(F.ip);
    p.need(off, 1, end);
    const vhl = p.u8(off);
    const version = vhl >>> 4;
    const hlen = (vhl & 15) * 4;
    // the fixed header's fields are all ip.*: skip their adds when none is wanted
    const tree = p.wantsFields(F.ip);
    const root = p.add(F.ip, off, hlen, parent);
    const vnode = tree ? p.addNum(F.version, off, 1, root, version) : -1;
    if (version !== 4) {
      if (cols) c.info.clear().str('Bogus IPv4 version (').dec(version).str(', must be 4)');
      p.expert(E.bogus_ip_version, vnode);
      // Wireshark goes on with IPv6 when an IPv4 Ethertype carries a version-6 header
      if (version === 6) {
        const v6 = ETHERTYPE.get(0x86dd);
        if (v6) p.call(v6, off, end, parent);
      }
      return;
    }
    p.ipDepth++;
    const hnode = tree ? p.addNum(F.hdr_len, off, 1, root, hlen) : -1;
    if (hlen < IPV4_MIN_HEADER) {
      if (cols) c.info.clear().str('Bogus IP header length (').dec(hlen).str(', must be at least 20)');
      p.expert(E.bogus_header_length, hnode, hlen);
      p.malformed('Bogus IP header length');
    }
    // a whole 20-octet header within the layer: the field-by-field bounds checks cannot fail
    const whole = p.has(off, IPV4_MIN_HEADER, end);
    if (!whole) p.need(off + 1, 1, end);
    if (tree && DS_FIELDS.wanted(p)) {
      const ds = p.add(F.dsfield, off + 1, 1, root);
      p.add(F.dscp, off + 1, 1, ds);
      p.add(F.ecn, off + 1, 1, ds);
    }
    if (!whole) p.need(off + 2, 2, end);
    let iplen = p.u16(off + 2);
    let ipEnd: number;
    if (iplen < hlen) {
      if (iplen === 0) {
        // TCP segmentation offload: Wireshark takes the reported length
        iplen = end - off;
        if (tree) p.addNum(F.len, off + 2, 2, root, iplen, GENERATED);
        ipEnd = end;
      } else {
        if (cols) c.info.clear().str('Bogus IP length (').dec(iplen).str(', less than header length ').dec(hlen).str(')');
        p.expert(E.bogus_ip_length, tree ? p.add(F.len, off + 2, 2, root) : -1, 'Bogus IP length');
        p.malformed('Bogus IP length');
      }
    } else {
      const lnode = tree ? p.add(F.len, off + 2, 2, root) : -1;
      if (iplen > end - off) {
        if (!inErr) p.expert(E.bogus_ip_length, lnode, 'IPv4 total length exceeds packet length (' + (end - off) + ' bytes)');
        ipEnd = end;
      } else {
        ipEnd = off + iplen;
      }
    }
    reportNetEnd(p, ipEnd!);
    // field by field, so a header cut by the snap length shows what was captured (as tshark)
    if (!whole) p.need(off + 4, 2, end);
    const id = p.u16(off + 4);
    if (tree) p.add(F.id, off + 4, 2, root);
    if (!whole) p.need(off + 6, 2, end);
    const frag = p.u16(off + 6);
    if (tree && FLAG_FIELDS.wanted(p)) {
      const fl = p.add(F.flags, off + 6, 1, root);
      p.add(F.flags_rb, off + 6, 1, fl);
      p.add(F.flags_df, off + 6, 1, fl);
      p.add(F.flags_mf, off + 6, 1, fl);
      p.add(F.frag_offset, off + 6, 2, root);
    }
    if (!whole) p.need(off + 8, 1, end);
    const ttl = p.u8(off + 8);
    const ttlNode = tree ? p.add(F.ttl, off + 8, 1, root) : -1;
    if (!whole) p.need(off + 9, 1, end);
    const proto = p.u8(off + 9);
    if (tree) p.add(F.proto, off + 9, 1, root);
    if (!whole) p.need(off + 10, 2, end);
    const ckTree = tree && CK_FIELDS.wanted(p);
    let ckGood = true;
    if (p.has(off, hlen, end)) {
      // verified in every run: the result decides whether a fragment is kept (below) and
      // feeds the expert items
      const full = hlen === 20 ? headerSum20(p, off) : foldSum(sumBytes(p, off, hlen, 0));
      ckGood = full === 0;
      let ck = -1;
      if (ckTree) {
        ck = p.add(F.checksum, off + 10, 2, root);
        p.addNum(F.checksum_status, off + 10, 0, root, ckGood ? CK_GOOD : CK_BAD, GENERATED);
      }
      if (!ckGood || (ckTree && p.wants(F.checksum_calculated))) {
        const expected = ckGood ? p.u16(off + 10) : foldSum(sumBytes(p, off, 10, 0) + sumBytes(p, off + 12, hlen - 12, 0));
        if (ckTree) p.addNum(F.checksum_calculated, off + 10, 2, root, expected, GENERATED);
        if (!ckGood) p.expert(E.checksum_bad, ck, '0x' + expected.toString(16).padStart(4, '0'));
      }
    } else if (ckTree) {
      p.add(F.checksum, off + 10, 2, root);
      p.addNum(F.checksum_status, off + 10, 0, root, CK_UNVERIFIED, GENERATED);
    }
    if (!whole) p.need(off + 12, 4, end);
    if (tree && SRC_FIELDS.wanted(p)) {
      p.add(F.src, off + 12, 4, root);
      p.add(F.addr, off + 12, 4, root, HIDDEN);
      p.add(F.src_host, off + 12, 4, root, HIDDEN | GENERATED);
      p.add(F.host, off + 12, 4, root, HIDDEN | GENERATED);
    }
    const routeDst = hlen > IPV4_MIN_HEADER ? sourceRouteDst(p, off + 20, hlen - 20, end) : -1;
    const dstAt = routeDst >= 0 ? routeDst : off + 16;
    if (!whole) p.need(off + 16, 4, end);
    if (routeDst >= 0) p.need(dstAt, 4, end);
    const d0 = p.u8(dstAt);
    if (ttl < 5 && (d0 & 0xf0) !== 0xe0 && proto !== IP_PROTO_PIM && proto !== IP_PROTO_OSPF) {
      p.expert(E.ttl_too_small, ttlNode, ttl);
    }
    if (tree && DST_FIELDS.wanted(p)) {
      if (routeDst >= 0) {
        p.add(F.cur_rt, off + 16, 4, root);
        p.add(F.cur_rt_host, off + 16, 4, root, HIDDEN | GENERATED);
      } else {
        p.add(F.dst, off + 16, 4, root);
        p.add(F.addr, off + 16, 4, root, HIDDEN);
        p.add(F.dst_host, off + 16, 4, root, HIDDEN | GENERATED);
        p.add(F.host, off + 16, 4, root, HIDDEN | GENERATED);
      }
    }
    p.netVersion = 4;
    p.netSrc = off + 12;
    p.netDst = dstAt;
    const addrCols = p.scratch[SLOT_ADDR_COLS]!;
    try {
      if (hlen > IPV4_MIN_HEADER) dissectIpv4Options(p, off, off + 20, hlen - 20, end, root);
      payload(p, inErr, proto, id, frag, iplen, hlen, off + hlen, ipEnd!, ckGood, parent);
    } finally {
      // the addresses go to the columns unless a tunnelled datagram put its own there
      if (!inErr) {
        if (cols && p.scratch[SLOT_ADDR_COLS] === addrCols) {
          c.src.clear().ipv4(p.data, p.base + off + 12);
          c.dst.clear().ipv4(p.data, p.base + dstAt);
        }
        p.scratch[SLOT_ADDR_COLS]!++;
      }
    }
  },
};

/** Folded, complemented sum of a 20-octet header (0 when its checksum is right). */
function headerSum20(p: Packet, off: number): number {
  const d = p.data;
  const i = p.base + off;
  const s =
    ((d[i]! << 8) | d[i + 1]!) + ((d[i + 2]! << 8) | d[i + 3]!) + ((d[i + 4]! << 8) | d[i + 5]!) + ((d[i + 6]! << 8) | d[i + 7]!) +
    ((d[i + 8]! << 8) | d[i + 9]!) + ((d[i + 10]! << 8) | d[i + 11]!) + ((d[i + 12]! << 8) | d[i + 13]!) + ((d[i + 14]! << 8) | d[i + 15]!) +
    ((d[i + 16]! << 8) | d[i + 17]!) + ((d[i + 18]! << 8) | d[i + 19]!);
  let f = (s & 0xffff) + (s >>> 16);
  f = (f & 0xffff) + (f >>> 16);
  return ~f & 0xffff;
}

function payload(
  p: Packet, inErr: boolean, proto: number, id: number, frag: number, iplen: number, hlen: number,
  pay: number, ipEnd: number, ckGood: boolean, parent: number,
): void {
  const c = p.cols;
  const data = DATA.get(0);
  const fragOff = frag & IP_OFFSET_MASK;
  const mf = frag & IP_FLAG_MF;
  // Wireshark (defragmentation on) keeps a fragment for reassembly when it is whole and its
  // header checksum is good; an unmatched fragment then shows as data. Otherwise only
  // non-first fragments are shown as data and a first fragment is dissected.
  const kept = (mf || fragOff) && iplen > hlen && p.has(pay, ipEnd - pay, ipEnd) && ckGood;
  if (kept || fragOff) {
    if (!inErr && p.colsOn) {
      c.info.clear().str('Fragmented IP protocol (proto=').str(protoName(proto)).byte(32).dec(proto)
        .str(', off=').dec(fragOff * 8).str(', ID=').hex(id, 4).byte(41);
    }
    if (data) p.call(data, pay, ipEnd, parent);
    return;
  }
  if (ipEnd - pay <= 0) return;
  const savedFrag = p.scratch[SLOT_FRAGMENTED]!;
  p.scratch[SLOT_FRAGMENTED] = mf ? 1 : 0;
  const d = IP_PROTO.get(proto);
  if (d !== undefined && (d.accepts === undefined || d.accepts(p, pay, ipEnd))) {
    p.call(d, pay, ipEnd, parent);
  } else {
    if (!inErr && p.colsOn) c.info.clear().str(protoName(proto)).str(' (').dec(proto).byte(41);
    if (data) p.call(data, pay, ipEnd, parent);
  }
  p.scratch[SLOT_FRAGMENTED] = savedFrag;
}

table('ethertype').add(ETHERTYPE_IPV4, ipv4Dissector);
table('ip.proto', 256).add(IP_PROTO_IPV4, ipv4Dissector);
table('gre.proto').add(ETHERTYPE_IPV4, ipv4Dissector);
