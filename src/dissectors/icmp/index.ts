/**
 * ICMP (RFC 792), as Wireshark 4.0's packet-icmp.c shows the common messages: type, code,
 * checksum (verified over the whole message), echo / timestamp / information / address-mask
 * identifiers and sequence numbers (big- and little-endian views), and the error messages
 * (destination unreachable, source quench, redirect, time exceeded, parameter problem) with the
 * quoted datagram dissected as IPv4 "in an error packet": inner headers leave the summary
 * columns alone, and the quotation may end anywhere without marking the frame malformed.
 * Not implemented: request/response matching (icmp.resp_in/resp_to/resptime: state),
 * icmp.data_time (the engine's abs_time fields print the frame time), RFC 4884 extensions,
 * router advertisements and the rarer message bodies (shown as type/code/checksum only).
 */
import { defineFields } from '../../engine/fields.js';
import { defineExperts } from '../../engine/expert.js';
import { table, type Dissector } from '../../engine/dispatch.js';
import { GENERATED, type Packet } from '../../engine/packet.js';
import type { TextBuf } from '../../engine/textbuf.js';
import { CHECKSUM_STATUS, CK_BAD, CK_GOOD, CK_UNVERIFIED, dissectQuoted, foldSum, fragmented, inErrorPacket, sumBytes } from '../ipv4/inet.js';

export const IP_PROTO_ICMP = 1;
export const ICMP_ECHOREPLY = 0;
export const ICMP_UNREACH = 3;
export const ICMP_SOURCEQUENCH = 4;
export const ICMP_REDIRECT = 5;
export const ICMP_ECHO = 8;
export const ICMP_TIMXCEED = 11;
export const ICMP_PARAMPROB = 12;

const TYPE_NAMES: Readonly<Record<number, string>> = {
  0: 'Echo (ping) reply', 1: 'Reserved', 2: 'Reserved', 3: 'Destination unreachable', 4: 'Source quench (flow control)',
  5: 'Redirect', 6: 'Alternate host address', 8: 'Echo (ping) request', 9: 'Router advertisement', 10: 'Router solicitation',
  11: 'Time-to-live exceeded', 12: 'Parameter problem', 13: 'Timestamp request', 14: 'Timestamp reply',
  15: 'Information request', 16: 'Information reply', 17: 'Address mask request', 18: 'Address mask reply',
  19: 'Reserved (for security)', 30: 'Traceroute', 31: 'Datagram Conversion Error', 32: 'Mobile Host Redirect',
  33: 'IPv6 Where-Are-You', 34: 'IPv6 I-Am-Here', 35: 'Mobile Registration Request', 36: 'Mobile Registration Reply',
  37: 'Domain Name Request', 38: 'Domain Name Reply', 39: 'SKIP', 40: 'Photuris', 41: 'Experimental mobility protocols',
};
const UNREACH_CODES: Readonly<Record<number, string>> = {
  0: 'Network unreachable', 1: 'Host unreachable', 2: 'Protocol unreachable', 3: 'Port unreachable', 4: 'Fragmentation needed',
  5: 'Source route failed', 6: 'Destination network unknown', 7: 'Destination host unknown', 8: 'Source host isolated',
  9: 'Network administratively prohibited', 10: 'Host administratively prohibited', 11: 'Network unreachable for TOS',
  12: 'Host unreachable for TOS', 13: 'Communication administratively filtered', 14: 'Host precedence violation',
  15: 'Precedence cutoff in effect',
};
const REDIRECT_CODES: Readonly<Record<number, string>> = {
  0: 'Redirect for network', 1: 'Redirect for host', 2: 'Redirect for TOS and network', 3: 'Redirect for TOS and host',
};
const TIMXCEED_CODES: Readonly<Record<number, string>> = { 0: 'Time to live exceeded in transit', 1: 'Fragment reassembly time exceeded' };
const PARAMPROB_CODES: Readonly<Record<number, string>> = { 0: 'Pointer indicates the error', 1: 'Required option missing', 2: 'Bad length' };
const ALTHOST_CODES: Readonly<Record<number, string>> = { 0: 'Alternate address for host' };
const PHOTURIS_CODES: Readonly<Record<number, string>> = {
  0: 'Bad SPI', 1: 'Authentication Failed', 2: 'Decompression Failed', 3: 'Decryption Failed', 4: 'Need Authentication', 5: 'Need Authorization',
};
function codeTable(type: number): Readonly<Record<number, string>> | undefined {
  switch (type) {
    case 3: return UNREACH_CODES;
    case 5: return REDIRECT_CODES;
    case 6: return ALTHOST_CODES;
    case 11: return TIMXCEED_CODES;
    case 12: return PARAMPROB_CODES;
    case 40: return PHOTURIS_CODES;
    default: return undefined;
  }
}

export const ICMP_FIELDS = defineFields({
  icmp: { abbrev: 'icmp', name: 'Internet Control Message Protocol', short: 'ICMP', type: 'protocol' },
  type: { abbrev: 'icmp.type', name: 'Type', type: 'uint8', strings: TYPE_NAMES },
  code: { abbrev: 'icmp.code', name: 'Code', type: 'uint8' },
  checksum: { abbrev: 'icmp.checksum', name: 'Checksum', type: 'uint16', base: 'hex' },
  checksum_status: { abbrev: 'icmp.checksum.status', name: 'Checksum Status', type: 'uint8', base: 'none', strings: CHECKSUM_STATUS },
  unused: { abbrev: 'icmp.unused', name: 'Unused', type: 'bytes' },
  ident: { abbrev: 'icmp.ident', name: 'Identifier (BE)', type: 'uint16', base: 'dec_hex', description: 'Identifier (big endian representation)' },
  ident_le: { abbrev: 'icmp.ident_le', name: 'Identifier (LE)', type: 'uint16', base: 'dec_hex', description: 'Identifier (little endian representation)' },
  seq: { abbrev: 'icmp.seq', name: 'Sequence Number (BE)', type: 'uint16', base: 'dec_hex', description: 'Sequence Number (big endian representation)' },
  seq_le: { abbrev: 'icmp.seq_le', name: 'Sequence Number (LE)', type: 'uint16', base: 'dec_hex', description: 'Sequence Number (little endian representation)' },
  mtu: { abbrev: 'icmp.mtu', name: 'MTU of next hop', type: 'uint16' },
  pointer: { abbrev: 'icmp.pointer', name: 'Pointer', type: 'uint32' },
  redir_gw: { abbrev: 'icmp.redir_gw', name: 'Gateway Address', type: 'ipv4' },
  originate_timestamp: { abbrev: 'icmp.originate_timestamp', name: 'Originate Timestamp', type: 'uint32' },
  receive_timestamp: { abbrev: 'icmp.receive_timestamp', name: 'Receive Timestamp', type: 'uint32' },
  transmit_timestamp: { abbrev: 'icmp.transmit_timestamp', name: 'Transmit Timestamp', type: 'uint32' },
  address_mask: { abbrev: 'icmp.address_mask', name: 'Address Mask', type: 'ipv4' },
});

export const ICMP_EXPERTS = defineExperts({
  checksum_bad: { abbrev: 'icmp.checksum_bad', group: 'checksum', severity: 'warning', summary: 'Bad checksum [should be {0}]' },
});

const F = ICMP_FIELDS;
const E = ICMP_EXPERTS;
const DATA = table('data', 1);
const IP_PROTO = table('ip.proto', 256);

/**
 * The Info column's start: the type name padded to 20 characters (Wireshark's "%-20s") and the
 * code's name. The dissector and the summary fast path (output/fastsummary.ts) write it.
 */
export function icmpTypeInfo(info: TextBuf, type: number, code: number): void {
  const name = TYPE_NAMES[type];
  if (name === undefined) {
    info.str('Unknown ICMP (obsolete or malformed?)');
    return;
  }
  const start = info.len;
  info.str(name);
  info.padTo(start, 20);
  const codes = codeTable(type);
  if (codes !== undefined) {
    const cn = codes[code];
    if (cn !== undefined) info.str(' (').str(cn).byte(41);
    else info.str(' (Unknown code: ').dec(code).byte(41);
  }
}

/** An echo-like message's " id=0x…, seq=BE/LE, ttl=…" (`ttl` -1: not over IPv4, none). */
export function icmpEchoInfo(info: TextBuf, id: number, seq: number, seqLe: number, ttl: number): void {
  info.str(' id=').hex0x(id, 4).str(', seq=').dec(seq).byte(47).dec(seqLe);
  if (ttl >= 0) info.str(', ttl=').dec(ttl);
}

/** Wireshark's echo-data heuristic: are the first 8 octets a timeval close to the frame time? */
function looksLikeTimestamp(p: Packet, at: number): boolean {
  let secs = p.u32(at);
  let usecs = p.u32(at + 4);
  if (Math.abs((secs - p.tsSec) | 0) >= 86400 || usecs >= 1000000) {
    secs = p.u32le(at);
    usecs = p.u32le(at + 4);
  }
  return Math.abs((secs - p.tsSec) | 0) < 86400 && usecs < 1000000;
}

export const icmpDissector: Dissector = {
  proto: F.icmp,
  name: 'icmp',
  dissect(p: Packet, off: number, end: number, parent: number): void {
    const inErr = inErrorPacket(p);
    const c = p.cols;
    p.pushProto(F.icmp);
    if (!inErr) {
      c.proto = 'ICMP';
      c.info.clear();
    }
    const root = p.add(F.icmp, off, end - off, parent);
    // Wireshark reads the whole 8-octet header before adding any field
    if (!inErr) p.need(off, 8, end);
    else if (!p.has(off, 4, end)) return;
    const type = p.u8(off);
    const code = p.u8(off + 1);
    const echoLike = type === 0 || type === 8 || (type >= 13 && type <= 18);
    if (!inErr) icmpTypeInfo(c.info, type, code);
    p.add(F.type, off, 1, root);
    p.add(F.code, off + 1, 1, root);
    const ck = p.add(F.checksum, off + 2, 2, root);
    if (!fragmented(p) && p.has(off, end - off, end)) {
      const good = foldSum(sumBytes(p, off, end - off, 0)) === 0;
      p.addNum(F.checksum_status, off + 2, 0, root, good ? CK_GOOD : CK_BAD, GENERATED);
      if (!good) {
        const expected = foldSum(sumBytes(p, off, 2, 0) + sumBytes(p, off + 4, end - off - 4, 0));
        p.expert(E.checksum_bad, ck, '0x' + expected.toString(16).padStart(4, '0'));
      }
    } else {
      p.addNum(F.checksum_status, off + 2, 0, root, CK_UNVERIFIED, GENERATED);
    }
    if (echoLike) {
      p.need(off + 4, 4, end);
      p.add(F.ident, off + 4, 2, root);
      p.addNum(F.ident_le, off + 4, 2, root, p.u16le(off + 4));
      p.add(F.seq, off + 6, 2, root);
      p.addNum(F.seq_le, off + 6, 2, root, p.u16le(off + 6));
      if (!inErr) icmpEchoInfo(c.info, p.u16(off + 4), p.u16(off + 6), p.u16le(off + 6), p.netVersion === 4 ? p.u8(p.netSrc - 4) : -1);
      const data = DATA.get(0);
      if (type === 0 || type === 8) {
        let at = off + 8;
        if (end - at > 8 && p.has(at, 8, end) && looksLikeTimestamp(p, at)) at += 8;
        if (data && end - at > 0) p.call(data, at, end, root);
      } else if (type === 13 || type === 14) {
        p.need(off + 8, 12, end);
        p.add(F.originate_timestamp, off + 8, 4, root);
        p.add(F.receive_timestamp, off + 12, 4, root);
        p.add(F.transmit_timestamp, off + 16, 4, root);
      } else if (type === 17 || type === 18) {
        p.need(off + 8, 4, end);
        p.add(F.address_mask, off + 8, 4, root);
      }
      return;
    }
    switch (type) {
      case ICMP_UNREACH:
      case ICMP_SOURCEQUENCH:
      case ICMP_TIMXCEED:
      case ICMP_PARAMPROB:
      case ICMP_REDIRECT:
        p.need(off + 4, 4, end);
        if (type === ICMP_UNREACH && code === 4) {
          p.add(F.unused, off + 4, 2, root);
          p.add(F.mtu, off + 6, 2, root);
        } else if (type === ICMP_PARAMPROB) {
          p.addNum(F.pointer, off + 4, 1, root, p.u8(off + 4));
          p.add(F.unused, off + 5, 3, root);
        } else if (type === ICMP_REDIRECT) {
          p.add(F.redir_gw, off + 4, 4, root);
        } else {
          p.add(F.unused, off + 4, 4, root);
        }
        dissectQuoted(p, IP_PROTO.get(4), off + 8, end, root, 4, type === ICMP_REDIRECT);
        return;
      default:
        return;
    }
  },
};

table('ip.proto', 256).add(IP_PROTO_ICMP, icmpDissector);
