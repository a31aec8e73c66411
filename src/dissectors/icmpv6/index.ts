/**
 * ICMPv6 (RFC 4443), as Wireshark 4.0's packet-icmpv6.c shows the core messages: type, code,
 * checksum over the IPv6 pseudo-header (next header 58), echo identifier / sequence, and the
 * error messages (destination unreachable, packet too big, time exceeded, parameter problem)
 * with the invoking packet dissected as IPv6 "in an error packet".
 * Not implemented (shown as icmpv6.data): Neighbor Discovery, MLD, RPL and the other message
 * bodies; request/response matching (icmpv6.resp_to, resptime).
 */
import { defineFields } from '../../engine/fields.js';
import { defineExperts } from '../../engine/expert.js';
import { table, type Dissector } from '../../engine/dispatch.js';
import { GENERATED, type Packet } from '../../engine/packet.js';
import type { TextBuf } from '../../engine/textbuf.js';
import { CHECKSUM_STATUS, CK_BAD, CK_GOOD, CK_UNVERIFIED, dissectQuoted, foldSum, fragmented, inErrorPacket, pseudoSum, sumBytes } from '../ipv4/inet.js';

export const IP_PROTO_ICMPV6 = 58;
export const ICMP6_DST_UNREACH = 1;
export const ICMP6_PACKET_TOO_BIG = 2;
export const ICMP6_TIME_EXCEEDED = 3;
export const ICMP6_PARAM_PROB = 4;
export const ICMP6_ECHO_REQUEST = 128;
export const ICMP6_ECHO_REPLY = 129;

const TYPE_NAMES: Readonly<Record<number, string>> = {
  1: 'Destination Unreachable', 2: 'Packet Too Big', 3: 'Time Exceeded', 4: 'Parameter Problem',
  100: 'Private experimentation', 101: 'Private experimentation', 127: 'Reserved for expansion of ICMPv6 error messages',
  128: 'Echo (ping) request', 129: 'Echo (ping) reply', 130: 'Multicast Listener Query', 131: 'Multicast Listener Report',
  132: 'Multicast Listener Done', 133: 'Router Solicitation', 134: 'Router Advertisement', 135: 'Neighbor Solicitation',
  136: 'Neighbor Advertisement', 137: 'Redirect', 138: 'Router Renumbering', 139: 'Node Information Query',
  140: 'Node Information Reply', 141: 'Inverse Neighbor Discovery Solicitation', 142: 'Inverse Neighbor Discovery Advertisement',
  143: 'Multicast Listener Report Message v2', 144: 'Home Agent Address Discovery Request', 145: 'Home Agent Address Discovery Reply',
  146: 'Mobile Prefix Solicitation', 147: 'Mobile Prefix Advertisement', 148: 'Certification Path Solicitation',
  149: 'Certification Path Advertisement', 150: 'Experimental Mobility', 151: 'Multicast Router Advertisement',
  152: 'Multicast Router Solicitation', 153: 'Multicast Router Termination', 154: 'FMIPv6', 155: 'RPL Control',
  156: 'Locator Update', 157: 'Duplicate Address Request', 158: 'Duplicate Address Confirmation', 159: 'MPL Control Message',
  160: 'Extended Echo request', 161: 'Extended Echo reply', 200: 'Private experimentation', 201: 'Private experimentation',
  255: 'Reserved for expansion of ICMPv6 informational messages',
};
const UNREACH_CODES: Readonly<Record<number, string>> = {
  0: 'no route to destination', 1: 'Administratively prohibited', 2: 'Beyond scope of source address', 3: 'Address unreachable',
  4: 'Port unreachable', 5: 'Source address failed ingress/egress policy', 6: 'Reject route to destination', 7: 'Error in Source Routing Header',
};
const TIMXCEED_CODES: Readonly<Record<number, string>> = { 0: 'hop limit exceeded in transit', 1: 'fragment reassembly time exceeded' };
const PARAMPROB_CODES: Readonly<Record<number, string>> = {
  0: 'erroneous header field encountered', 1: 'unrecognized Next Header type encountered', 2: 'unrecognized IPv6 option encountered',
  3: 'IPv6 First Fragment has incomplete IPv6 Header Chain',
};

export const ICMPV6_FIELDS = defineFields({
  icmpv6: { abbrev: 'icmpv6', name: 'Internet Control Message Protocol v6', short: 'ICMPv6', type: 'protocol' },
  type: { abbrev: 'icmpv6.type', name: 'Type', type: 'uint8', strings: TYPE_NAMES, description: 'Indicates the type of the message' },
  code: { abbrev: 'icmpv6.code', name: 'Code', type: 'uint8' },
  checksum: { abbrev: 'icmpv6.checksum', name: 'Checksum', type: 'uint16', base: 'hex' },
  checksum_status: { abbrev: 'icmpv6.checksum.status', name: 'Checksum Status', type: 'uint8', base: 'none', strings: CHECKSUM_STATUS },
  reserved: { abbrev: 'icmpv6.reserved', name: 'Reserved', type: 'bytes', description: 'Must be Zero' },
  data: { abbrev: 'icmpv6.data', name: 'Data', type: 'bytes' },
  mtu: { abbrev: 'icmpv6.mtu', name: 'MTU', type: 'uint32', description: 'The Maximum Transmission Unit of the next-hop link' },
  pointer: { abbrev: 'icmpv6.pointer', name: 'Pointer', type: 'uint32', description: 'Identifies the octet offset within the invoking packet where the error was detected' },
  echo_identifier: { abbrev: 'icmpv6.echo.identifier', name: 'Identifier', type: 'uint16', base: 'hex', description: 'An identifier to aid in matching with Request and Reply' },
  echo_sequence_number: { abbrev: 'icmpv6.echo.sequence_number', name: 'Sequence', type: 'uint16', description: 'A sequence number to aid in matching Echo Replies to this Echo Request' },
});

export const ICMPV6_EXPERTS = defineExperts({
  checksum_bad: { abbrev: 'icmpv6.checksum_bad.expert', group: 'checksum', severity: 'warning', summary: 'Bad checksum [should be {0}]' },
  undecoded_type: { abbrev: 'icmpv6.undecoded.type', group: 'undecoded', severity: 'note', summary: 'Dissector for ICMPv6 Type ({0}) code not implemented, Contact Wireshark developers if you want this supported' },
});

const F = ICMPV6_FIELDS;
const E = ICMPV6_EXPERTS;
const DATA = table('data', 1);
const IP_PROTO = table('ip.proto', 256);

/**
 * The Info column's start: the type's name and, for the error types, the code's. The dissector
 * and the summary fast path (output/fastsummary.ts) write it.
 */
export function icmpv6TypeInfo(info: TextBuf, type: number, code: number): void {
  const name = TYPE_NAMES[type];
  if (name !== undefined) info.str(name);
  else info.str('Unknown (').dec(type).byte(41);
  const codes = type === 1 ? UNREACH_CODES : type === 3 ? TIMXCEED_CODES : type === 4 ? PARAMPROB_CODES : undefined;
  if (codes !== undefined) {
    const cn = codes[code];
    info.str(' (');
    if (cn !== undefined) info.str(cn);
    else if (type === 1) info.str('Unknown');
    else info.str('Unknown (').dec(code).byte(41);
    info.byte(41);
  }
}

/** An echo request / reply's " id=0x…, seq=…, hop limit=…" (`hop` -1: not over IPv6, none). */
export function icmpv6EchoInfo(info: TextBuf, id: number, seq: number, hop: number): void {
  info.str(' id=').hex0x(id, 4).str(', seq=').dec(seq);
  if (hop >= 0) info.str(', hop limit=').dec(hop);
}

export const icmpv6Dissector: Dissector = {
  proto: F.icmpv6,
  name: 'icmpv6',
  dissect(p: Packet, off: number, end: number, parent: number): void {
    const inErr = inErrorPacket(p);
    const c = p.cols;
    p.pushProto(F.icmpv6);
    if (!inErr) {
      c.proto = 'ICMPv6';
      c.info.clear();
    }
    const root = p.add(F.icmpv6, off, end - off, parent);
    p.need(off, 4, end);
    const type = p.u8(off);
    const code = p.u8(off + 1);
    if (!inErr) icmpv6TypeInfo(c.info, type, code);
    p.add(F.type, off, 1, root);
    p.add(F.code, off + 1, 1, root);
    const ck = p.add(F.checksum, off + 2, 2, root);
    const len = end - off;
    const ps = pseudoSum(p, IP_PROTO_ICMPV6, len);
    if (!fragmented(p) && ps >= 0 && p.has(off, len, end)) {
      const good = foldSum(sumBytes(p, off, len, ps)) === 0;
      p.addNum(F.checksum_status, off + 2, 0, root, good ? CK_GOOD : CK_BAD, GENERATED);
      if (!good) {
        const expected = foldSum(ps + sumBytes(p, off, 2, 0) + sumBytes(p, off + 4, len - 4, 0));
        p.expert(E.checksum_bad, ck, '0x' + expected.toString(16).padStart(4, '0'));
      }
    } else {
      p.addNum(F.checksum_status, off + 2, 0, root, CK_UNVERIFIED, GENERATED);
    }
    switch (type) {
      case ICMP6_DST_UNREACH:
      case ICMP6_TIME_EXCEEDED:
      case ICMP6_PACKET_TOO_BIG:
      case ICMP6_PARAM_PROB:
        p.need(off + 4, 4, end);
        if (type === ICMP6_PACKET_TOO_BIG) p.add(F.mtu, off + 4, 4, root);
        else if (type === ICMP6_PARAM_PROB) p.add(F.pointer, off + 4, 4, root);
        else p.add(F.reserved, off + 4, 4, root);
        dissectQuoted(p, IP_PROTO.get(41), off + 8, end, root, 6, true);
        return;
      case ICMP6_ECHO_REQUEST:
      case ICMP6_ECHO_REPLY: {
        p.need(off + 4, 4, end);
        p.add(F.echo_identifier, off + 4, 2, root);
        p.add(F.echo_sequence_number, off + 6, 2, root);
        if (!inErr) icmpv6EchoInfo(c.info, p.u16(off + 4), p.u16(off + 6), p.netVersion === 6 ? p.u8(p.netSrc - 1) : -1);
        const data = DATA.get(0);
        if (data && end - (off + 8) > 0) p.call(data, off + 8, end, root);
        return;
      }
      default:
        if (end - (off + 4) > 0) {
          const n = p.add(F.data, off + 4, p.avail(off + 4, end), root);
          if (TYPE_NAMES[type] === undefined || type === 100 || type === 101 || type === 200 || type === 201) p.expert(E.undecoded_type, n, type);
        }
    }
  },
};

table('ip.proto', 256).add(IP_PROTO_ICMPV6, icmpv6Dissector);
