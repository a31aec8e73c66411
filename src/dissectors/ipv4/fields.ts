/** IPv4 fields and expert items, declared as Wireshark 4.0 declares them (packet-ip.c). */
import { defineFields } from '../../engine/fields.js';
import { defineExperts } from '../../engine/expert.js';
import type { Packet } from '../../engine/packet.js';
import { TextBuf } from '../../engine/textbuf.js';
import { addressLabel, CHECKSUM_STATUS } from './inet.js';
import { IP_PROTO_NAMES } from './protonames.js';
import { labelText } from '../../engine/label.js';

/** "Internet Protocol Version 4, Src: 10.1.0.10, Dst: 203.0.113.10" (the header's addresses). */
const ipLabel = addressLabel('Internet Protocol Version 4', 20, 12, 16, false);

const text = new TextBuf(48);
/** Host-name fields (ip.src_host...): tshark without name resolution prints the address. */
export function ipv4Host(p: Packet, node: number): string {
  return text.clear().ipv4(p.data, p.base + p.tree.off[node]!).toString();
}

const DSCP: Readonly<Record<number, string>> = {
  0: 'Default', 8: 'Class Selector 1', 10: 'Assured Forwarding 11', 12: 'Assured Forwarding 12', 14: 'Assured Forwarding 13',
  16: 'Class Selector 2', 18: 'Assured Forwarding 21', 20: 'Assured Forwarding 22', 22: 'Assured Forwarding 23',
  24: 'Class Selector 3', 26: 'Assured Forwarding 31', 28: 'Assured Forwarding 32', 30: 'Assured Forwarding 33',
  32: 'Class Selector 4', 34: 'Assured Forwarding 41', 36: 'Assured Forwarding 42', 38: 'Assured Forwarding 43',
  40: 'Class Selector 5', 44: 'Voice-Admit', 46: 'Expedited Forwarding', 48: 'Class Selector 6', 56: 'Class Selector 7',
};
export const DSCP_NAMES = DSCP;
export const ECN_NAMES: Readonly<Record<number, string>> = {
  0: 'Not ECN-Capable Transport', 1: 'ECN-Capable Transport codepoint \'01\'', 2: 'ECN-Capable Transport codepoint \'10\'', 3: 'Congestion Experienced',
};
const OPT_CLASS: Readonly<Record<number, string>> = { 0: 'Control', 1: 'Reserved for future use', 2: 'Debugging and measurement', 3: 'Reserved for future use' };
const TS_FLAG: Readonly<Record<number, string>> = { 0: 'Time stamps only', 1: 'Time stamp and address', 3: 'Time stamps for prespecified addresses' };
const NOT_SET_SET: readonly [string, string] = ['Set', 'Not set'];

export const F = defineFields({
  ip: { abbrev: 'ip', name: 'Internet Protocol Version 4', short: 'IPv4', type: 'protocol', label: ipLabel, compute: labelText(ipLabel) },
  version: { abbrev: 'ip.version', name: 'Version', type: 'uint8' },
  hdr_len: { abbrev: 'ip.hdr_len', name: 'Header Length', type: 'uint8', unit: ' bytes', description: 'Header length in 32-bit words' },
  dsfield: { abbrev: 'ip.dsfield', name: 'Differentiated Services Field', type: 'uint8', base: 'hex' },
  dscp: { abbrev: 'ip.dsfield.dscp', name: 'Differentiated Services Codepoint', type: 'uint8', mask: 0xfc, strings: DSCP },
  ecn: { abbrev: 'ip.dsfield.ecn', name: 'Explicit Congestion Notification', type: 'uint8', mask: 0x03, strings: ECN_NAMES },
  len: { abbrev: 'ip.len', name: 'Total Length', type: 'uint16' },
  id: { abbrev: 'ip.id', name: 'Identification', type: 'uint16', base: 'hex_dec' },
  flags: { abbrev: 'ip.flags', name: 'Flags', type: 'uint8', base: 'hex', mask: 0xe0, description: 'Flags (3 bits)' },
  flags_rb: { abbrev: 'ip.flags.rb', name: 'Reserved bit', type: 'boolean', bits: 8, mask: 0x80, tf: NOT_SET_SET },
  flags_df: { abbrev: 'ip.flags.df', name: "Don't fragment", type: 'boolean', bits: 8, mask: 0x40, tf: NOT_SET_SET },
  flags_mf: { abbrev: 'ip.flags.mf', name: 'More fragments', type: 'boolean', bits: 8, mask: 0x20, tf: NOT_SET_SET },
  frag_offset: { abbrev: 'ip.frag_offset', name: 'Fragment Offset', type: 'uint16', mask: 0x1fff, description: 'Fragment offset (13 bits)' },
  ttl: { abbrev: 'ip.ttl', name: 'Time to Live', type: 'uint8' },
  proto: { abbrev: 'ip.proto', name: 'Protocol', type: 'uint8', strings: IP_PROTO_NAMES },
  checksum: { abbrev: 'ip.checksum', name: 'Header Checksum', type: 'uint16', base: 'hex' },
  checksum_status: { abbrev: 'ip.checksum.status', name: 'Header checksum status', type: 'uint8', base: 'none', strings: CHECKSUM_STATUS },
  checksum_calculated: { abbrev: 'ip.checksum_calculated', name: 'Calculated Checksum', type: 'uint16', base: 'hex', description: 'The expected IP checksum field as calculated from the IP datagram' },
  src: { abbrev: 'ip.src', name: 'Source Address', type: 'ipv4', wire: true },
  addr: { abbrev: 'ip.addr', name: 'Source or Destination Address', type: 'ipv4', wire: true },
  src_host: { abbrev: 'ip.src_host', name: 'Source Host', type: 'string', compute: ipv4Host },
  host: { abbrev: 'ip.host', name: 'Source or Destination Host', type: 'string', compute: ipv4Host },
  dst: { abbrev: 'ip.dst', name: 'Destination Address', type: 'ipv4', wire: true },
  dst_host: { abbrev: 'ip.dst_host', name: 'Destination Host', type: 'string', compute: ipv4Host },
  cur_rt: { abbrev: 'ip.cur_rt', name: 'Current Route', type: 'ipv4' },
  cur_rt_host: { abbrev: 'ip.cur_rt_host', name: 'Current Route Host', type: 'string', compute: ipv4Host },
  // options: the per-option "protocols" Wireshark uses as subtree headers
  optp_eol: { abbrev: 'ip.options.eol', name: 'IP Option - End of Options List (EOL)', short: 'End of Options List (EOL)', type: 'protocol' },
  optp_nop: { abbrev: 'ip.options.nop', name: 'IP Option - No-Operation (NOP)', short: 'No Operation (NOP)', type: 'protocol' },
  optp_security: { abbrev: 'ip.options.security', name: 'IP Option - Security', short: 'Security', type: 'protocol' },
  optp_route: { abbrev: 'ip.options.route', name: 'IP Option - Loose Source Route', short: 'Loose Source Route', type: 'protocol' },
  optp_timestamp: { abbrev: 'ip.options.timestamp', name: 'IP Option - Time Stamp', short: 'Time Stamp', type: 'protocol' },
  optp_ext_security: { abbrev: 'ip.options.ext_security', name: 'IP Option - Extended Security', short: 'Extended Security', type: 'protocol' },
  optp_cipso: { abbrev: 'ip.options.cipso', name: 'IP Option - Commercial Security', short: 'Commercial Security', type: 'protocol' },
  optp_record_route: { abbrev: 'ip.options.record_route', name: 'IP Option - Record Route', short: 'Record Route', type: 'protocol' },
  optp_sid: { abbrev: 'ip.options.sid', name: 'IP Option - Stream ID', short: 'Stream ID', type: 'protocol' },
  optp_source_route: { abbrev: 'ip.options.source_route', name: 'IP Option - Strict Source Route', short: 'Strict Source Route', type: 'protocol' },
  optp_mtu_probe: { abbrev: 'ip.options.mtu_probe', name: 'IP Option - MTU Probe', short: 'MTU Probe', type: 'protocol' },
  optp_mtu_reply: { abbrev: 'ip.options.mtu_reply', name: 'IP Option - MTU Reply', short: 'MTU Reply', type: 'protocol' },
  optp_traceroute: { abbrev: 'ip.options.traceroute', name: 'IP Option - Traceroute', short: 'Traceroute', type: 'protocol' },
  optp_routeralert: { abbrev: 'ip.options.routeralert', name: 'IP Option - Router Alert', short: 'Router Alert', type: 'protocol' },
  optp_sdb: { abbrev: 'ip.options.sdb', name: 'IP Option - Selective Directed Broadcast', short: 'Selective Directed Broadcast', type: 'protocol' },
  optp_qs: { abbrev: 'ip.options.qs', name: 'IP Option - Quick-Start', short: 'Quick-Start', type: 'protocol' },
  opt_type: { abbrev: 'ip.opt.type', name: 'Type', type: 'uint8' },
  opt_type_copy: { abbrev: 'ip.opt.type.copy', name: 'Copy on fragmentation', type: 'boolean', bits: 8, mask: 0x80, tf: ['Yes', 'No'] },
  opt_type_class: { abbrev: 'ip.opt.type.class', name: 'Class', type: 'uint8', mask: 0x60, strings: OPT_CLASS },
  opt_type_number: { abbrev: 'ip.opt.type.number', name: 'Number', type: 'uint8', mask: 0x1f },
  opt_len: { abbrev: 'ip.opt.len', name: 'Length', type: 'uint8' },
  opt_ptr: { abbrev: 'ip.opt.ptr', name: 'Pointer', type: 'uint8' },
  opt_sid: { abbrev: 'ip.opt.sid', name: 'Stream Identifier', type: 'uint16', description: 'SATNET stream identifier' },
  opt_mtu: { abbrev: 'ip.opt.mtu', name: 'MTU', type: 'uint16' },
  opt_id_number: { abbrev: 'ip.opt.id_number', name: 'ID Number', type: 'uint16' },
  opt_ohc: { abbrev: 'ip.opt.ohc', name: 'Outbound Hop Count', type: 'uint16' },
  opt_rhc: { abbrev: 'ip.opt.rhc', name: 'Return Hop Count', type: 'uint16' },
  opt_originator: { abbrev: 'ip.opt.originator', name: 'Originator IP Address', type: 'ipv4' },
  opt_ra: { abbrev: 'ip.opt.ra', name: 'Router Alert', type: 'uint16', strings: { 0: 'Router shall examine packet' } },
  opt_addr: { abbrev: 'ip.opt.addr', name: 'IP Address', type: 'ipv4' },
  opt_padding: { abbrev: 'ip.opt.padding', name: 'Padding', type: 'bytes' },
  opt_overflow: { abbrev: 'ip.opt.overflow', name: 'Overflow', type: 'uint8', mask: 0xf0 },
  opt_flag: { abbrev: 'ip.opt.flag', name: 'Flag', type: 'uint8', base: 'hex', mask: 0x0f, strings: TS_FLAG },
  opt_time_stamp: { abbrev: 'ip.opt.time_stamp', name: 'Time stamp', type: 'uint32' },
  opt_time_stamp_addr: { abbrev: 'ip.opt.time_stamp_addr', name: 'Address', type: 'ipv4' },
  rec_rt: { abbrev: 'ip.rec_rt', name: 'Recorded Route', type: 'ipv4' },
  rec_rt_host: { abbrev: 'ip.rec_rt_host', name: 'Recorded Route Host', type: 'string', compute: ipv4Host },
  src_rt: { abbrev: 'ip.src_rt', name: 'Source Route', type: 'ipv4' },
  src_rt_host: { abbrev: 'ip.src_rt_host', name: 'Source Route Host', type: 'string', compute: ipv4Host },
  empty_rt: { abbrev: 'ip.empty_rt', name: 'Empty Route', type: 'ipv4' },
  empty_rt_host: { abbrev: 'ip.empty_rt_host', name: 'Empty Route Host', type: 'string', compute: ipv4Host },
});

export const E = defineExperts({
  bogus_ip_version: { abbrev: 'ip.bogus_ip_version', group: 'protocol', severity: 'error', summary: 'Bogus IPv4 version' },
  bogus_header_length: { abbrev: 'ip.bogus_header_length', group: 'protocol', severity: 'error', summary: 'Bogus IP header length ({0}, must be at least 20)' },
  // one Wireshark expert, two messages: "Bogus IP length" and "IPv4 total length exceeds packet length (N bytes)"
  bogus_ip_length: { abbrev: 'ip.bogus_ip_length', group: 'protocol', severity: 'error', summary: '{0}' },
  checksum_bad: { abbrev: 'ip.checksum_bad.expert', group: 'checksum', severity: 'error', summary: 'Bad checksum [should be {0}]' },
  ttl_too_small: { abbrev: 'ip.ttl.too_small', group: 'sequence', severity: 'note', summary: '"Time To Live" only {0}' },
  opt_len_invalid: { abbrev: 'ip.opt.len.invalid', group: 'protocol', severity: 'warning', summary: '{0}' },
  opt_ptr_before: { abbrev: 'ip.opt.ptr.before_address', group: 'protocol', severity: 'warning', summary: 'Pointer points before first address' },
  opt_ptr_middle: { abbrev: 'ip.opt.ptr.middle_address', group: 'protocol', severity: 'warning', summary: 'Pointer points to middle of address' },
  subopt_too_long: { abbrev: 'ip.subopt_too_long', group: 'protocol', severity: 'warning', summary: 'Suboption would go past end of option' },
  nop: { abbrev: 'ip.nop', group: 'protocol', severity: 'warning', summary: '4 NOP in a row - a router may have removed some options' },
});
