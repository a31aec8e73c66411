/** IPv6 fields and expert items, declared as Wireshark 4.0 declares them (packet-ipv6.c). */
import { defineFields } from '../../engine/fields.js';
import { defineExperts } from '../../engine/expert.js';
import type { Packet } from '../../engine/packet.js';
import { TextBuf } from '../../engine/textbuf.js';
import { IP_PROTO_NAMES } from '../ipv4/protonames.js';
import { labelText } from '../../engine/label.js';
import { addressLabel } from '../ipv4/inet.js';

/** "Internet Protocol Version 6, Src: 2001:db8:1::1, Dst: 2001:db8:100::1" (the fixed header's addresses). */
const ipv6Label = addressLabel('Internet Protocol Version 6', 40, 8, 24, true);

const text = new TextBuf(64);
/** Host-name fields (ipv6.src_host...): tshark without name resolution prints the address. */
export function ipv6Host(p: Packet, node: number): string {
  return text.clear().ipv6(p.data, p.base + p.tree.off[node]!).toString();
}

const OPT_ACTION: Readonly<Record<number, string>> = {
  0: 'Skip and continue', 1: 'Discard packet', 2: 'Discard packet and send ICMP Parameter Problem', 3: 'Discard packet and send ICMP Parameter Problem if destination address is not multicast',
};
export const IPV6_OPT_NAMES: Readonly<Record<number, string>> = {
  0x00: 'Pad1', 0x01: 'PadN', 0x04: 'Tunnel Encapsulation Limit', 0x05: 'Router Alert', 0xc2: 'Jumbo Payload', 0xc9: 'Home Address Option',
  0x1e: 'Experimental (0x1E)', 0x3e: 'Experimental (0x3E)', 0x5e: 'Experimental (0x5E)', 0x7e: 'Experimental (0x7E)',
  0x9e: 'Experimental (0x9E)', 0xbe: 'Experimental (0xBE)', 0xde: 'Experimental (0xDE)', 0xfe: 'Experimental (0xFE)',
};
const ROUTING_TYPES: Readonly<Record<number, string>> = {
  0: 'Source Route', 1: 'Nimrod', 2: 'Type 2 Routing', 3: 'RPL Source Route', 4: 'Segment Routing', 5: 'CRH-16', 6: 'CRH-32',
  253: 'Experiment 1', 254: 'Experiment 2',
};
export const F = defineFields({
  ipv6: { abbrev: 'ipv6', name: 'Internet Protocol Version 6', short: 'IPv6', type: 'protocol', label: ipv6Label, compute: labelText(ipv6Label) },
  version: { abbrev: 'ipv6.version', name: 'Version', type: 'uint8' },
  tclass: { abbrev: 'ipv6.tclass', name: 'Traffic Class', type: 'uint32', base: 'hex', mask: 0x0ff00000 },
  tclass_dscp: { abbrev: 'ipv6.tclass.dscp', name: 'Differentiated Services Codepoint', type: 'uint32', mask: 0x0fc00000 },
  tclass_ecn: { abbrev: 'ipv6.tclass.ecn', name: 'Explicit Congestion Notification', type: 'uint32', mask: 0x00300000 },
  flow: { abbrev: 'ipv6.flow', name: 'Flow Label', type: 'uint24', base: 'hex', mask: 0x0fffff },
  plen: { abbrev: 'ipv6.plen', name: 'Payload Length', type: 'uint16' },
  nxt: { abbrev: 'ipv6.nxt', name: 'Next Header', type: 'uint8', strings: IP_PROTO_NAMES },
  hlim: { abbrev: 'ipv6.hlim', name: 'Hop Limit', type: 'uint8' },
  src: { abbrev: 'ipv6.src', name: 'Source Address', type: 'ipv6', wire: true },
  addr: { abbrev: 'ipv6.addr', name: 'Source or Destination Address', type: 'ipv6', wire: true },
  src_host: { abbrev: 'ipv6.src_host', name: 'Source Host', type: 'string', compute: ipv6Host },
  host: { abbrev: 'ipv6.host', name: 'Source or Destination Host', type: 'string', compute: ipv6Host },
  dst: { abbrev: 'ipv6.dst', name: 'Destination Address', type: 'ipv6', wire: true },
  dst_host: { abbrev: 'ipv6.dst_host', name: 'Destination Host', type: 'string', compute: ipv6Host },
  // options of hop-by-hop and destination options headers
  opt: { abbrev: 'ipv6.opt', name: 'IPv6 Option', type: 'none' },
  opt_type: { abbrev: 'ipv6.opt.type', name: 'Type', type: 'uint8', base: 'hex', strings: IPV6_OPT_NAMES },
  opt_type_action: { abbrev: 'ipv6.opt.type.action', name: 'Action', type: 'uint8', mask: 0xc0, strings: OPT_ACTION },
  opt_type_change: { abbrev: 'ipv6.opt.type.change', name: 'May Change', type: 'boolean', bits: 8, mask: 0x20, tf: ['Yes', 'No'] },
  opt_type_rest: { abbrev: 'ipv6.opt.type.rest', name: 'Low-Order Bits', type: 'uint8', base: 'hex', mask: 0x1f },
  opt_length: { abbrev: 'ipv6.opt.length', name: 'Length', type: 'uint8' },
  opt_pad1: { abbrev: 'ipv6.opt.pad1', name: 'Pad1', type: 'none' },
  opt_padn: { abbrev: 'ipv6.opt.padn', name: 'PadN', type: 'bytes', empty: '<none>' },
  opt_tel: { abbrev: 'ipv6.opt.tel', name: 'Tunnel Encapsulation Limit', type: 'uint8' },
  opt_router_alert: { abbrev: 'ipv6.opt.router_alert', name: 'Router Alert', type: 'uint16', strings: { 0: 'MLD', 1: 'RSVP', 2: 'Active Networks' } },
  opt_jumbo: { abbrev: 'ipv6.opt.jumbo', name: 'Payload Length', type: 'uint32' },
  opt_mipv6_home_address: { abbrev: 'ipv6.opt.mipv6.home_address', name: 'MIPv6 Home Address', type: 'ipv6' },
  opt_experimental: { abbrev: 'ipv6.opt.experimental', name: 'Experimental Option', type: 'bytes' },
  opt_unknown: { abbrev: 'ipv6.opt.unknown', name: 'Unknown Option Payload', type: 'bytes' },
  opt_unknown_data: { abbrev: 'ipv6.opt_unknown_data', name: 'Unknown Data', type: 'bytes' },
  // extension headers (each its own protocol in Wireshark)
  hopopts: { abbrev: 'ipv6.hopopts', name: 'IPv6 Hop-by-Hop Option', short: 'IPv6 Hop-by-Hop', type: 'protocol' },
  hopopts_nxt: { abbrev: 'ipv6.hopopts.nxt', name: 'Next Header', type: 'uint8', strings: IP_PROTO_NAMES },
  hopopts_len: { abbrev: 'ipv6.hopopts.len', name: 'Length', type: 'uint8', description: 'Extension header length in 8-octet words (minus 1)' },
  hopopts_len_oct: { abbrev: 'ipv6.hopopts.len_oct', name: 'Length', type: 'uint16', unit: ' bytes', description: 'Extension header length in octets' },
  dstopts: { abbrev: 'ipv6.dstopts', name: 'Destination Options for IPv6', short: 'IPv6 Destination', type: 'protocol' },
  dstopts_nxt: { abbrev: 'ipv6.dstopts.nxt', name: 'Next Header', type: 'uint8', strings: IP_PROTO_NAMES },
  dstopts_len: { abbrev: 'ipv6.dstopts.len', name: 'Length', type: 'uint8', description: 'Extension header length in 8-octet words (minus 1)' },
  dstopts_len_oct: { abbrev: 'ipv6.dstopts.len_oct', name: 'Length', type: 'uint16', unit: ' bytes', description: 'Extension header length in octets' },
  routing: { abbrev: 'ipv6.routing', name: 'Routing Header for IPv6', short: 'IPv6 Routing', type: 'protocol' },
  routing_nxt: { abbrev: 'ipv6.routing.nxt', name: 'Next Header', type: 'uint8', strings: IP_PROTO_NAMES },
  routing_len: { abbrev: 'ipv6.routing.len', name: 'Length', type: 'uint8', description: 'Extension header length in 8-octet words (minus 1)' },
  routing_len_oct: { abbrev: 'ipv6.routing.len_oct', name: 'Length', type: 'uint16', unit: ' bytes', description: 'Extension header length in octets' },
  routing_type: { abbrev: 'ipv6.routing.type', name: 'Type', type: 'uint8', strings: ROUTING_TYPES, description: 'Routing Header Type' },
  routing_segleft: { abbrev: 'ipv6.routing.segleft', name: 'Segments Left', type: 'uint8', description: 'Routing Header Segments Left' },
  routing_unknown_data: { abbrev: 'ipv6.routing.unknown_data', name: 'Type-Specific Data', type: 'bytes', description: 'Unknown routing header type-specific data' },
  routing_src_reserved: { abbrev: 'ipv6.routing.src.reserved', name: 'Reserved', type: 'bytes', description: 'Must be zero' },
  routing_src_addr: { abbrev: 'ipv6.routing.src.addr', name: 'Address', type: 'ipv6', description: 'Source Routing Header Address' },
  routing_mipv6_reserved: { abbrev: 'ipv6.routing.mipv6.reserved', name: 'Reserved', type: 'bytes', description: 'Must be zero' },
  routing_mipv6_home_address: { abbrev: 'ipv6.routing.mipv6.home_address', name: 'Home Address', type: 'ipv6' },
  routing_srh_last_entry: { abbrev: 'ipv6.routing.srh.last_entry', name: 'Last Entry', type: 'uint8', description: 'Index (zero based) of the last element of the Segment List' },
  routing_srh_flags: { abbrev: 'ipv6.routing.srh.flags', name: 'Flags', type: 'uint8', base: 'hex', description: 'Unused, 8 bits of flags' },
  routing_srh_tag: { abbrev: 'ipv6.routing.srh.tag', name: 'Tag', type: 'bytes', description: 'Tag a packet as part of a class or group of packets' },
  routing_srh_addr: { abbrev: 'ipv6.routing.srh.addr', name: 'Address', type: 'ipv6', description: 'Segment address' },
  fraghdr: { abbrev: 'ipv6.fraghdr', name: 'Fragment Header for IPv6', short: 'IPv6 Fragment', type: 'protocol' },
  fraghdr_nxt: { abbrev: 'ipv6.fraghdr.nxt', name: 'Next header', type: 'uint8', strings: IP_PROTO_NAMES },
  fraghdr_reserved_octet: { abbrev: 'ipv6.fraghdr.reserved_octet', name: 'Reserved octet', type: 'uint8', base: 'hex', description: 'Should always be 0' },
  fraghdr_offset: { abbrev: 'ipv6.fraghdr.offset', name: 'Offset', type: 'uint16', mask: 0xfff8, description: 'Fragment Offset' },
  fraghdr_reserved_bits: { abbrev: 'ipv6.fraghdr.reserved_bits', name: 'Reserved bits', type: 'uint16', mask: 0x0006 },
  fraghdr_more: { abbrev: 'ipv6.fraghdr.more', name: 'More Fragments', type: 'boolean', bits: 16, mask: 0x0001, tf: ['Yes', 'No'] },
  fraghdr_ident: { abbrev: 'ipv6.fraghdr.ident', name: 'Identification', type: 'uint32', base: 'hex', description: 'Fragment Identification' },
});

export const E = defineExperts({
  bogus_version: { abbrev: 'ipv6.bogus_ipv6_version', group: 'malformed', severity: 'error', summary: 'Bogus IPv6 version' },
  invalid_header: { abbrev: 'ipv6.invalid_header', group: 'malformed', severity: 'error', summary: 'IPv6 header must be exactly 40 bytes' },
  plen_exceeds_framing: { abbrev: 'ipv6.plen_exceeds_framing', group: 'protocol', severity: 'warning', summary: 'IPv6 payload length exceeds framing length ({0} bytes)' },
  plen_zero: { abbrev: 'ipv6.plen_zero', group: 'protocol', severity: 'chat', summary: 'IPv6 payload length equals 0 (maybe because of "TCP segmentation offload" (TSO))' },
  hopopts_not_first: { abbrev: 'ipv6.hopopts.not_first', group: 'protocol', severity: 'error', summary: 'IPv6 Hop-by-Hop extension header must appear immediately after IPv6 header' },
  opt_invalid_len: { abbrev: 'ipv6.opt.invalid_len', group: 'malformed', severity: 'error', summary: '{0}: Invalid Length ({1} bytes)' },
  opt_unknown_data: { abbrev: 'ipv6.opt.unknown_data.expert', group: 'undecoded', severity: 'note', summary: 'Unknown Data (not interpreted)' },
  routing_deprecated: { abbrev: 'ipv6.routing.deprecated', group: 'protocol', severity: 'note', summary: 'Routing header type is deprecated' },
  routing_undecoded: { abbrev: 'ipv6.routing.undecoded', group: 'undecoded', severity: 'note', summary: 'Undecoded IPv6 routing header field' },
  routing_invalid_length: { abbrev: 'ipv6.routing.invalid_length', group: 'malformed', severity: 'error', summary: 'Invalid IPv6 Routing header length' },
  routing_invalid_segleft: { abbrev: 'ipv6.routing.invalid_segleft', group: 'protocol', severity: 'warning', summary: 'IPv6 Routing Header segments left field must not exceed address count ({0})' },
});
