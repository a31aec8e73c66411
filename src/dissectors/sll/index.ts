/**
 * Linux cooked-mode capture, v1 (link type 113, 16-octet header) and v2 (link type 276,
 * 20-octet header), as Wireshark 4.0's packet-sll.c shows them: one protocol "sll" for both.
 * Layouts: https://www.tcpdump.org/linktypes/LINKTYPE_LINUX_SLL.html and LINKTYPE_LINUX_SLL2.html.
 */
import { defineFields } from '../../engine/fields.js';
import { table, type Dissector } from '../../engine/dispatch.js';
import type { Packet } from '../../engine/packet.js';
import { dissectEthertype, ETHERTYPE_NAMES } from '../eth/ethertype.js';
import { resetInetSlots } from '../ipv4/inet.js';

export const LINKTYPE_LINUX_SLL = 113;
export const LINKTYPE_LINUX_SLL2 = 276;
export const SLL_HEADER_SIZE = 16;
export const SLL2_HEADER_SIZE = 20;
export const SLL_ADDRLEN = 8;
export const ARPHRD_IPGRE = 778;

const PACKET_TYPES: Readonly<Record<number, string>> = {
  0: 'Unicast to us', 1: 'Broadcast', 2: 'Multicast', 3: 'Unicast to another host', 4: 'Sent by us',
};
const ARPHRD: Readonly<Record<number, string>> = {
  1: 'Ethernet', 24: 'IEEE 1394', 768: 'IPIP', 769: 'IP6IP6', 772: 'Loopback', 776: 'IPv6-in-IPv4', 778: 'IP-GRE',
  823: 'IP6-GRE', 65534: 'None', 65535: 'Void',
};
const LTYPES: Readonly<Record<number, string>> = {
  0x0001: 'Raw 802.3', 0x0002: 'AX.25', 0x0003: 'All', 0x0004: '802.2 LLC', 0x0005: 'SNAP', 0x000c: 'PPP (HDLC)', 0x000f: 'CAN',
};

export const SLL_FIELDS = defineFields({
  sll: { abbrev: 'sll', name: 'Linux cooked-mode capture', short: 'SLL', type: 'protocol', compute: (p: Packet) => (p.linkType === LINKTYPE_LINUX_SLL2 ? 'Linux cooked capture v2' : 'Linux cooked capture v1') },
  pkttype: { abbrev: 'sll.pkttype', name: 'Packet type', type: 'uint16', strings: PACKET_TYPES },
  hatype: { abbrev: 'sll.hatype', name: 'Link-layer address type', type: 'uint16', strings: ARPHRD },
  halen: { abbrev: 'sll.halen', name: 'Link-layer address length', type: 'uint16' },
  src_eth: { abbrev: 'sll.src.eth', name: 'Source', type: 'ether', description: 'Source link-layer address' },
  src_ipv4: { abbrev: 'sll.src.ipv4', name: 'Source', type: 'ipv4', description: 'Source link-layer address' },
  src_other: { abbrev: 'sll.src.other', name: 'Source', type: 'bytes', description: 'Source link-layer address' },
  unused: { abbrev: 'sll.unused', name: 'Unused', type: 'bytes', description: 'Unused bytes' },
  ltype: { abbrev: 'sll.ltype', name: 'Protocol', type: 'uint16', base: 'hex', strings: LTYPES, description: 'Linux protocol type' },
  gretype: { abbrev: 'sll.gretype', name: 'Protocol', type: 'uint16', base: 'hex', strings: ETHERTYPE_NAMES, description: 'GRE protocol type' },
  etype: { abbrev: 'sll.etype', name: 'Protocol', type: 'uint16', base: 'hex', strings: ETHERTYPE_NAMES, description: 'Ethernet protocol type' },
  trailer: { abbrev: 'sll.trailer', name: 'Trailer', type: 'bytes' },
  ifindex: { abbrev: 'sll.ifindex', name: 'Interface index', type: 'uint32' },
});

const S = SLL_FIELDS;
const DATA = table('data', 1);
const GRE_PROTO = table('gre.proto');

/** The link-layer address: halen at [halenOff, halenOff+halenLen), address after it. */
function address(p: Packet, root: number, halenOff: number, halenLen: number, end: number): void {
  p.need(halenOff, halenLen, end);
  const halen = halenLen === 2 ? p.u16(halenOff) : p.u8(halenOff);
  if (halenLen === 2) p.add(S.halen, halenOff, 2, root);
  else p.addNum(S.halen, halenOff, 1, root, halen);
  const a = halenOff + halenLen;
  if (halen === 4) {
    p.need(a, 4, end);
    p.cols.src.clear().ipv4(p.data, p.base + a);
    p.add(S.src_ipv4, a, 4, root);
  } else if (halen === 6) {
    p.need(a, 6, end);
    p.cols.src.clear().mac(p.data, p.base + a);
    p.add(S.src_eth, a, 6, root);
  } else if (halen !== 0) {
    const n = halen > SLL_ADDRLEN ? SLL_ADDRLEN : halen;
    p.need(a, n, end);
    p.add(S.src_other, a, n, root);
  }
  if (halen < SLL_ADDRLEN) {
    p.need(a + halen, SLL_ADDRLEN - halen, end);
    p.add(S.unused, a + halen, SLL_ADDRLEN - halen, root);
  }
}

function protocolType(p: Packet, root: number, at: number, hatype: number, end: number): number {
  p.need(at, 2, end);
  const protocol = p.u16(at);
  p.add(protocol <= 1536 ? S.ltype : hatype === ARPHRD_IPGRE ? S.gretype : S.etype, at, 2, root);
  return protocol;
}

function payload(p: Packet, off: number, hdr: number, end: number, parent: number, root: number, hatype: number, protocol: number): void {
  const at = off + hdr;
  if (protocol <= 1536) {
    // a Linux-internal protocol number (802.2 LLC, CAN...): not dissected by gretool
    const data = DATA.get(0);
    if (data) p.call(data, at, end, parent);
  } else if (hatype === ARPHRD_IPGRE) {
    const d = GRE_PROTO.get(protocol);
    if (d) p.call(d, at, end, parent);
  } else {
    dissectEthertype(p, protocol, at, end, parent, off, root, S.trailer, 0);
  }
}

function start(p: Packet, pkttype: number): void {
  p.pushProto(S.sll);
  const c = p.cols;
  c.proto = 'SLL';
  const name = PACKET_TYPES[pkttype];
  c.info.clear();
  if (name !== undefined) c.info.str(name);
  else c.info.str('Unknown (').dec(pkttype).str(')');
}

export const sllDissector: Dissector = {
  proto: S.sll,
  name: 'sll',
  dissect(p: Packet, off: number, end: number, parent: number): void {
    resetInetSlots(p);
    p.need(off, 4, end);
    const pkttype = p.u16(off);
    const hatype = p.u16(off + 2);
    start(p, pkttype);
    const root = p.add(S.sll, off, SLL_HEADER_SIZE, parent);
    p.add(S.pkttype, off, 2, root);
    p.add(S.hatype, off + 2, 2, root);
    address(p, root, off + 4, 2, end);
    const protocol = protocolType(p, root, off + 14, hatype, end);
    payload(p, off, SLL_HEADER_SIZE, end, parent, root, hatype, protocol);
  },
};

export const sll2Dissector: Dissector = {
  proto: S.sll,
  name: 'sll',
  dissect(p: Packet, off: number, end: number, parent: number): void {
    resetInetSlots(p);
    p.need(off, 12, end);
    const pkttype = p.u16(off + 10); // Wireshark reads 16 bits here (packet type + address length)
    const hatype = p.u16(off + 8);
    start(p, pkttype);
    const root = p.add(S.sll, off, SLL2_HEADER_SIZE, parent);
    const protocol = protocolType(p, root, off, hatype, end);
    p.add(S.ifindex, off + 4, 4, root);
    p.add(S.hatype, off + 8, 2, root);
    p.addNum(S.pkttype, off + 10, 1, root, p.u8(off + 10));
    address(p, root, off + 11, 1, end);
    payload(p, off, SLL2_HEADER_SIZE, end, parent, root, hatype, protocol);
  },
};

table('link.type').add(LINKTYPE_LINUX_SLL, sllDissector);
table('link.type').add(LINKTYPE_LINUX_SLL2, sll2Dissector);
