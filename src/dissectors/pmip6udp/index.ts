/**
 * PMIPv6 over IPv4-UDP (RFC 5844 §4, RFC 5845 §7): the UDP 5436/5437 payload demultiplexer
 * and the RFC 5845 TLV header. Wireshark 4.0 has neither (it shows 5437 as data and misreads
 * 5436 as a Mobility Header), so every field here is gretool's own (`wireshark: false`).
 *
 * Demultiplexer (registered on udp.port 5436 and 5437), in this order:
 *   1. first nibble 0 → TLV header, unless the TLV length check (UDP.Length − 8 − 4 ==
 *      TLV.Length) fails and the bytes are a plain GRE header (`00 00 08 00` / `00 00 86 dd`:
 *      version 0, IPv4/IPv6 protocol, no RFC 1701 bits) → GRE without TLV;
 *   2. first nibble 4 → IPv4, 6 → IPv6 (the `ethertype` table);
 *   3. a Mobility Header (Payload Proto 59, Header Len within the payload, a known MH type) →
 *      the MH dissector's over-UDP entry `mip6.udp` (its `accepts()` decides), else `ip.proto`
 *      135 (MH over UDP, RFC 5844);
 *   4. a sane GRE header (version 0, protocol 0x0800/0x86DD, none of R/s/Recur/reserved bits,
 *      header within the payload) → GRE + P-UDP-GRE-WITHOUT-TLV;
 *   5. otherwise: on the data port (either UDP port 5437) → data + P-UDP-PAYLOAD-UNKNOWN;
 *      on the signalling port → the Mobility Header dissector, as tshark does, so that its own
 *      checks (Payload Proto, Header Len) report what is wrong.
 *
 * UDP length and ports: those of the innermost UDP header, which UDP leaves in scratch slots
 * (ipv4/inet.ts) before calling this layer; without a UDP header the UDP payload span
 * [off, end) is used (UDP.Length − 8 = end − off) and the port this dissector was registered on.
 */
import { defineFields } from '../../engine/fields.js';
import { defineExperts } from '../../engine/expert.js';
import { table, type Dissector } from '../../engine/dispatch.js';
import type { Packet } from '../../engine/packet.js';
import { bytesKey, keyedLine } from '../../engine/label.js';
import { SLOT_UDP_DPORT, SLOT_UDP_LEN, SLOT_UDP_SPORT } from '../ipv4/inet.js';
import {
  GRE_FLAG_ROUTING,
  GRE_FLAG_STRICT_SOURCE_ROUTE,
  GRE_FLAGS_RESERVED_MASK,
  GRE_PROTO_IPV4,
  GRE_PROTO_IPV6,
  GRE_RECURSION_MASK,
  GRE_VERSION_0,
  GRE_VERSION_MASK,
  GRE_VERSION_PPTP,
  greHeaderLen,
} from '../gre/layout.js';

/** Header bits a plain RFC 2784/2890 GRE header never has (R, s, Recur, reserved flags). */
const GRE_NOT_PLAIN = GRE_FLAG_ROUTING | GRE_FLAG_STRICT_SOURCE_ROUTE | GRE_RECURSION_MASK | GRE_FLAGS_RESERVED_MASK;
import {
  IP_PROTO_MH,
  MH_PAYLOAD_PROTO_NONE,
  MH_TYPE_MAX,
  NIBBLE_IPV4,
  NIBBLE_IPV6,
  NIBBLE_TLV,
  PMIP6_CNTL_PORT,
  PMIP6_DATA_PORT,
  TLV_HEADER_LEN,
  TLV_NH_GRE,
  TLV_NH_IPV4,
  TLV_NH_IPV6,
  TLV_RESERVED_MASK,
  TLV_TYPE_MASK,
  UDP_HEADER_LEN,
  tlvExpectedLength,
} from './layout.js';

const NH_NAMES: Readonly<Record<number, string>> = { 4: 'IPv4', 41: 'IPv6', 47: 'GRE', 17: 'UDP', 6: 'TCP', 59: 'No Next Header' };

/** The protocol item's label: "PMIPv6 TLV Header (RFC 5845), Next Header: GRE (47), Length: 49". Built only when printed. */
function tlvLabel(p: Packet, node: number): string {
  const off = p.tree.off[node]!;
  const nh = p.u8(off + 1);
  const name = NH_NAMES[nh];
  return 'PMIPv6 TLV Header (RFC 5845), Next Header: ' + (name ? name + ' (' + nh + ')' : String(nh)) + ', Length: ' + p.u16(off + 2);
}

export const TLV_FIELDS = defineFields({
  tlv: { abbrev: 'pmip6.tlv', name: 'PMIPv6 TLV Header (RFC 5845)', type: 'protocol', wireshark: false, compute: keyedLine(tlvLabel, bytesKey(1, 3)) },
  type: { abbrev: 'pmip6.tlv.type', name: 'Type', type: 'uint8', base: 'dec', mask: TLV_TYPE_MASK, wireshark: false, description: 'Always 0: tells the TLV header apart from an IPv4/IPv6 version nibble (RFC 5845 §7.2)' },
  reserved: { abbrev: 'pmip6.tlv.reserved', name: 'Reserved', type: 'uint8', base: 'hex', mask: TLV_RESERVED_MASK, wireshark: false, description: 'Sent as 0, ignored by the receiver (RFC 5845 §7.2)' },
  next_header: { abbrev: 'pmip6.tlv.next_header', name: 'Next Header', type: 'uint8', base: 'dec', strings: NH_NAMES, wireshark: false, description: 'IANA protocol number of the payload (47 GRE, 4 IPv4, 41 IPv6)' },
  length: { abbrev: 'pmip6.tlv.length', name: 'Length', type: 'uint16', base: 'dec', unit: ' octets', wireshark: false, description: 'Octets after the TLV header' },
  length_expected: { abbrev: 'pmip6.tlv.length.expected', name: 'Expected Length (UDP Length − 8 − 4)', type: 'uint16', base: 'dec', unit: ' octets', wireshark: false },
  length_ok: { abbrev: 'pmip6.tlv.length_ok', name: 'Length matches UDP Length', type: 'boolean', wireshark: false, description: 'RFC 5845 §7.1: UDP.Length − 8 − 4 == TLV.Length; otherwise the receiver must drop the packet' },
});
const F = TLV_FIELDS;

export const TLV_EXPERTS = defineExperts({
  lenMismatch: { abbrev: 'gretool.lint.P-TLV-LEN-MISMATCH', group: 'malformed', severity: 'error', rule: 'P-TLV-LEN-MISMATCH', summary: 'TLV Length {0} differs from UDP Length − 8 − 4 = {1}: the receiver must drop this packet (RFC 5845 §7.1)' },
  reservedNonzero: { abbrev: 'gretool.lint.P-TLV-RESERVED-NONZERO', group: 'protocol', severity: 'warning', rule: 'P-TLV-RESERVED-NONZERO', summary: 'TLV Reserved is {0} (RFC 5845 §7.2: must be sent as 0)' },
  nhNotGre: { abbrev: 'gretool.lint.P-TLV-NH-NOT-GRE', group: 'protocol', severity: 'note', rule: 'P-TLV-NH-NOT-GRE', summary: 'TLV Next Header {0} is not GRE (47): RFC 5845 negotiates the TLV format only together with GRE' },
  nhMismatch: { abbrev: 'gretool.lint.P-TLV-NH-MISMATCH', group: 'protocol', severity: 'error', rule: 'P-TLV-NH-MISMATCH', summary: 'TLV Next Header {0} but the payload is not a valid {1} header' },
  tlvOn5436: { abbrev: 'gretool.lint.W-TLV-ON-5436', group: 'protocol', severity: 'note', rule: 'W-TLV-ON-5436', summary: 'TLV-framed data on the signalling port 5436 (RFC 5844 uses 5437 for data)' },
  greWithoutTlv: { abbrev: 'gretool.lint.P-UDP-GRE-WITHOUT-TLV', group: 'protocol', severity: 'error', rule: 'P-UDP-GRE-WITHOUT-TLV', summary: 'GRE over UDP without the TLV header (RFC 5845 §7.1: the TLV-header format must be used)' },
  payloadUnknown: { abbrev: 'gretool.lint.P-UDP-PAYLOAD-UNKNOWN', group: 'undecoded', severity: 'warning', rule: 'P-UDP-PAYLOAD-UNKNOWN', summary: 'PMIPv6 UDP payload starts with nibble {0}: not TLV (0), IPv4 (4), IPv6 (6) or GRE' },
});
const E = TLV_EXPERTS;

const ipProto = table('ip.proto', 256);
/** The MH dissector's over-UDP entry (RFC 5844), with its own acceptance heuristic. */
const mhOverUdp = table('mip6.udp', 1);
const ethertype = table('ethertype');
const dataTable = table('data', 1);

// Facts about the enclosing UDP header, filled by readUdp() (no allocation).
let udpLen = 0;
let srcPort = -1;
let dstPort = -1;

/**
 * The innermost UDP header's length and ports, from the scratch slots UDP fills before it hands
 * its payload on (never from the tree: a run may not materialise udp.* nodes). Without a UDP
 * header (the demultiplexer called on its own) the length is the payload span + 8 and the ports
 * are unknown (-1).
 */
function readUdp(p: Packet, off: number, end: number): void {
  const sc = p.scratch;
  udpLen = sc[SLOT_UDP_LEN]!;
  srcPort = sc[SLOT_UDP_SPORT]! - 1;
  dstPort = sc[SLOT_UDP_DPORT]! - 1;
  if (!(udpLen >= UDP_HEADER_LEN)) udpLen = end - off + UDP_HEADER_LEN;
}

/** A plain RFC 2784/2890 GRE header of version 0 carrying IPv4/IPv6, fully inside [off, end). */
function looksLikeGre(p: Packet, off: number, end: number): boolean {
  if (!p.has(off, 4, end)) return false;
  const flags = p.u16(off);
  if (flags & GRE_NOT_PLAIN || (flags & GRE_VERSION_MASK) !== GRE_VERSION_0) return false;
  const proto = p.u16(off + 2);
  if (proto !== GRE_PROTO_IPV4 && proto !== GRE_PROTO_IPV6) return false;
  return off + greHeaderLen(flags) <= end;
}

/** A Mobility Header as RFC 5844 puts it in UDP: Payload Proto 59, sane Header Len and type. */
function looksLikeMh(p: Packet, off: number, end: number): boolean {
  if (!p.has(off, 6, end)) return false;
  if (p.u8(off) !== MH_PAYLOAD_PROTO_NONE) return false;
  const hdrLen = (p.u8(off + 1) + 1) * 8;
  return hdrLen <= end - off && p.u8(off + 2) <= MH_TYPE_MAX;
}

function looksLikeIp(p: Packet, off: number, end: number, version: number): boolean {
  if (!p.has(off, 1, end) || p.u8(off) >> 4 !== version) return false;
  if (version === 4) return (p.u8(off) & 15) >= 5 && end - off >= 20;
  return end - off >= 40;
}

function callData(p: Packet, off: number, end: number, parent: number): void {
  const d = dataTable.get(0);
  if (d) p.call(d, off, end, parent);
}

/** RFC 5845 TLV header at `off`, payload to `end`; `udpLength` is the enclosing UDP Length. */
function dissectTlv(p: Packet, off: number, end: number, parent: number, udpLength: number, dataPort: boolean): void {
  p.pushProto(F.tlv);
  p.need(off, TLV_HEADER_LEN, end);
  const root = p.add(F.tlv, off, TLV_HEADER_LEN, parent);
  p.add(F.type, off, 1, root);
  const nRes = p.add(F.reserved, off, 1, root);
  const nh = p.u8(off + 1);
  const nNh = p.add(F.next_header, off + 1, 1, root);
  const len = p.u16(off + 2);
  const nLen = p.add(F.length, off + 2, 2, root);
  const expected = tlvExpectedLength(udpLength);
  p.addGen(F.length_expected, root, expected < 0 ? 0 : expected);
  p.addGen(F.length_ok, root, len === expected ? 1 : 0);

  if (p.colsOn) {
    p.cols.proto = 'PMIPv6-TLV';
    p.cols.info.clear().str('TLV header, Next Header ').dec(nh);
    const nhName = NH_NAMES[nh];
    if (nhName !== undefined) p.cols.info.str(' (').str(nhName).byte(41);
    p.cols.info.str(', Length ').dec(len);
  }

  if (len !== expected) p.expert(E.lenMismatch, nLen, len, expected);
  const res = p.u8(off) & TLV_RESERVED_MASK;
  if (res !== 0) p.expert(E.reservedNonzero, nRes, res);
  if (!dataPort) p.expert(E.tlvOn5436, root);
  if (nh !== TLV_NH_GRE) p.expert(E.nhNotGre, nNh, nh);

  const po = off + TLV_HEADER_LEN;
  if (nh === TLV_NH_GRE) {
    if (!looksLikeGreAny(p, po, end)) p.expert(E.nhMismatch, nNh, nh, 'GRE');
  } else if (nh === TLV_NH_IPV4) {
    if (!looksLikeIp(p, po, end, 4)) p.expert(E.nhMismatch, nNh, nh, 'IPv4');
  } else if (nh === TLV_NH_IPV6) {
    if (!looksLikeIp(p, po, end, 6)) p.expert(E.nhMismatch, nNh, nh, 'IPv6');
  }
  if (po >= end) return;
  const sub = ipProto.get(nh);
  if (sub !== undefined) p.call(sub, po, end, parent);
  else callData(p, po, end, parent);
}

/** Any parseable GRE header (versions 0/1, header within the payload): the P-TLV-NH-MISMATCH test. */
function looksLikeGreAny(p: Packet, off: number, end: number): boolean {
  if (!p.has(off, 4, end)) return false;
  const flags = p.u16(off);
  if ((flags & GRE_VERSION_MASK) > GRE_VERSION_PPTP) return false;
  return off + greHeaderLen(flags) <= end;
}

function makeDemux(port: number): Dissector {
  return {
    proto: F.tlv,
    name: 'pmip6udp',
    dissect(p: Packet, off: number, end: number, parent: number): void {
      if (off >= end) return;
      readUdp(p, off, end);
      const dataPort = srcPort === PMIP6_DATA_PORT || dstPort === PMIP6_DATA_PORT || (srcPort < 0 && dstPort < 0 && port === PMIP6_DATA_PORT);
      p.need(off, 1, end);
      const nibble = p.u8(off) >> 4;
      if (nibble === NIBBLE_TLV) {
        const tlvOk = p.has(off, 4, end) && p.u16(off + 2) === tlvExpectedLength(udpLen);
        if (!tlvOk && looksLikeGre(p, off, end)) return greWithoutTlv(p, off, end, parent);
        return dissectTlv(p, off, end, parent, udpLen, dataPort);
      }
      if (nibble === NIBBLE_IPV4 || nibble === NIBBLE_IPV6) {
        const ip = ethertype.get(nibble === NIBBLE_IPV4 ? 0x0800 : 0x86dd);
        if (ip !== undefined) {
          p.call(ip, off, end, parent);
          return;
        }
      }
      const mh = mhOverUdp.get(0) ?? ipProto.get(IP_PROTO_MH);
      if (mh !== undefined && (mh.accepts ? mh.accepts(p, off, end) : looksLikeMh(p, off, end))) {
        p.call(mh, off, end, parent);
        return;
      }
      if (looksLikeGre(p, off, end)) return greWithoutTlv(p, off, end, parent);
      if (!dataPort && mh !== undefined) {
        p.call(mh, off, end, parent);
        return;
      }
      if (dataPort) p.expert(E.payloadUnknown, parent, nibble);
      callData(p, off, end, parent);
    },
  };
}

function greWithoutTlv(p: Packet, off: number, end: number, parent: number): void {
  p.expert(E.greWithoutTlv, parent);
  const gre = ipProto.get(47);
  if (gre !== undefined) p.call(gre, off, end, parent);
  else callData(p, off, end, parent);
}

export const pmip6CntlDemux = makeDemux(PMIP6_CNTL_PORT);
export const pmip6DataDemux = makeDemux(PMIP6_DATA_PORT);

table('udp.port').add(PMIP6_CNTL_PORT, pmip6CntlDemux);
table('udp.port').add(PMIP6_DATA_PORT, pmip6DataDemux);
