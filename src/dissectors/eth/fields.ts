/** Ethernet fields and expert items, declared as Wireshark 4.0 declares them (packet-eth.c). */
import { defineFields } from '../../engine/fields.js';
import { defineExperts } from '../../engine/expert.js';
import { CHECKSUM_STATUS } from '../ipv4/inet.js';
import { ETHERTYPE_NAMES } from './etypes.js';
import { bytesKey, captured, keyedLine, labelBuf, labelText } from '../../engine/label.js';
import type { TextBuf } from '../../engine/textbuf.js';
import type { Packet } from '../../engine/packet.js';

/** "Ethernet II, Src: 02:15:a9:2a:9f:01, Dst: 02:78:b1:76:a8:0a" (addresses unresolved, as tshark -n). */
function ethLabel(p: Packet, node: number, out: TextBuf): void {
  const off = p.tree.off[node]!;
  out.str('Ethernet II');
  if (!captured(p, off, 12)) return;
  const d = p.data;
  const o = p.base + off;
  out.str(', Src: ').mac(d, o + 6).str(', Dst: ').mac(d, o);
}

/** An address's "resolved" text: gretool resolves no names, so the address itself (as tshark -n). */
function unresolved(p: Packet, node: number): string {
  const off = p.tree.off[node]!;
  return captured(p, off, 6) ? labelBuf().mac(p.data, p.base + off).toString() : '';
}

const LG: readonly [string, string] = ['Locally administered address (this is NOT the factory default)', 'Globally unique address (factory default)'];
const IG: readonly [string, string] = ['Group address (multicast/broadcast)', 'Individual address (unicast)'];

export const F = defineFields({
  eth: { abbrev: 'eth', name: 'Ethernet', type: 'protocol', label: keyedLine(ethLabel, bytesKey(0, 12)), compute: labelText(ethLabel) },
  dst: { abbrev: 'eth.dst', name: 'Destination', type: 'ether', description: 'Destination Hardware Address', wire: true },
  // BASE_OUI in Wireshark; `-T fields` prints the 24-bit value in decimal
  dst_oui: { abbrev: 'eth.dst.oui', name: 'Destination OUI', type: 'uint24', description: 'Destination Organizationally Unique Identifier' },
  dst_resolved: { abbrev: 'eth.dst_resolved', name: 'Destination (resolved)', type: 'string', description: 'Destination Hardware Address (resolved)', compute: unresolved },
  src: { abbrev: 'eth.src', name: 'Source', type: 'ether', description: 'Source Hardware Address', wire: true },
  src_resolved: { abbrev: 'eth.src_resolved', name: 'Source (resolved)', type: 'string', description: 'Source Hardware Address (resolved)', compute: unresolved },
  src_oui: { abbrev: 'eth.src.oui', name: 'Source OUI', type: 'uint24', description: 'Source Organizationally Unique Identifier' },
  len: { abbrev: 'eth.len', name: 'Length', type: 'uint16' },
  type: { abbrev: 'eth.type', name: 'Type', type: 'uint16', base: 'hex', strings: ETHERTYPE_NAMES },
  invalid_lentype: { abbrev: 'eth.invalid_lentype', name: 'Invalid length/type', type: 'uint16', base: 'hex_dec' },
  addr: { abbrev: 'eth.addr', name: 'Address', type: 'ether', description: 'Source or Destination Hardware Address', wire: true },
  addr_resolved: { abbrev: 'eth.addr_resolved', name: 'Address (resolved)', type: 'string', description: 'Source or Destination Hardware Address (resolved)', compute: unresolved },
  addr_oui: { abbrev: 'eth.addr.oui', name: 'Address OUI', type: 'uint24', description: 'Address Organizationally Unique Identifier' },
  padding: { abbrev: 'eth.padding', name: 'Padding', type: 'bytes', description: 'Ethernet Padding' },
  trailer: { abbrev: 'eth.trailer', name: 'Trailer', type: 'bytes', description: 'Ethernet Trailer or Checksum' },
  fcs: { abbrev: 'eth.fcs', name: 'Frame check sequence', type: 'uint32', base: 'hex', description: 'Ethernet checksum' },
  fcs_status: { abbrev: 'eth.fcs.status', name: 'FCS Status', type: 'uint8', base: 'none', strings: CHECKSUM_STATUS },
  dst_lg: { abbrev: 'eth.dst.lg', name: 'LG bit', type: 'boolean', bits: 24, mask: 0x020000, tf: LG },
  dst_ig: { abbrev: 'eth.dst.ig', name: 'IG bit', type: 'boolean', bits: 24, mask: 0x010000, tf: IG },
  src_lg: { abbrev: 'eth.src.lg', name: 'LG bit', type: 'boolean', bits: 24, mask: 0x020000, tf: LG },
  src_ig: { abbrev: 'eth.src.ig', name: 'IG bit', type: 'boolean', bits: 24, mask: 0x010000, tf: IG },
  lg: { abbrev: 'eth.lg', name: 'LG bit', type: 'boolean', bits: 24, mask: 0x020000, tf: LG },
  ig: { abbrev: 'eth.ig', name: 'IG bit', type: 'boolean', bits: 24, mask: 0x010000, tf: IG },
  // the pseudo-protocol Wireshark lists in frame.protocols between a link layer and its payload
  ethertype: { abbrev: 'ethertype', name: 'Ethertype', type: 'protocol' },
});

export const E = defineExperts({
  invalid_lentype: { abbrev: 'eth.invalid_lentype.expert', group: 'protocol', severity: 'warning', summary: 'Invalid length/type: {0}' },
  src_not_group: { abbrev: 'eth.src_not_group', group: 'protocol', severity: 'warning', summary: 'Source MAC must not be a group address: IEEE 802.3-2002, Section 3.2.3(b)' },
  padding_bad: { abbrev: 'eth.padding_bad', group: 'protocol', severity: 'note', summary: "Didn't find padding of zeros, and an undecoded trailer exists. There may be padding of non-zeros." },
  len_past_end: { abbrev: 'eth.len.past_end', group: 'malformed', severity: 'error', summary: 'Length field value goes past the end of the payload' },
});
