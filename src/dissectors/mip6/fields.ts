/**
 * Field and expert-item declarations of the Mobility Header (protocol "mipv6", fields "mip6.*").
 * Wireshark 4.0's names, types, bases and masks wherever Wireshark has the field (checked with
 * `tshark -G fields`); gretool's own fields are under "gretool.mip6.*" with wireshark: false.
 *
 * Exported ids (F, X) are the stable way for other modules (session correlator, lint) to read
 * what a PBU/PBA carries: seq, lifetime, flags, status, MN-ID, HNP, HI, ATT, IPv4 HoA, GRE key.
 */
import { defineFields, fieldDef, type FieldSpec } from '../../engine/fields.js';
import { defineExperts } from '../../engine/expert.js';
import type { Packet } from '../../engine/packet.js';
import { TextBuf } from '../../engine/textbuf.js';
import { keyedLine, nodeKey } from '../../engine/label.js';
import {
  ATT_NAMES, AUTH_SUBTYPE_NAMES, BA_STATUS_NAMES, BE_STATUS_NAMES, BRI_STATUS_NAMES, BRI_TRIGGER_NAMES, CSUM_STATUS_NAMES,
  DNSU_STATUS_NAMES, FBACK_STATUS_NAMES, HI_NAMES, IPPROTO_NAMES, IPV4_HOA_STATUS_NAMES, LLA_OPTCODE_NAMES, LRA_STATUS_NAMES,
  MH_TYPE_NAMES, MNG_SUBTYPE_NAMES, MNID_SUBTYPE_NAMES, OPTION_NAMES, VENDOR_NAMES, VSM_3GPP_SUBTYPE_NAMES,
} from './names.js';

const u8 = (abbrev: string, name: string, extra: Partial<FieldSpec> = {}): FieldSpec => ({ abbrev, name, type: 'uint8', base: 'dec', ...extra });
const u16 = (abbrev: string, name: string, extra: Partial<FieldSpec> = {}): FieldSpec => ({ abbrev, name, type: 'uint16', base: 'dec', ...extra });
const u32 = (abbrev: string, name: string, extra: Partial<FieldSpec> = {}): FieldSpec => ({ abbrev, name, type: 'uint32', base: 'dec', ...extra });
const flag = (abbrev: string, name: string, bits: number, mask: number, tf?: readonly [string, string]): FieldSpec => ({ abbrev, name, type: 'boolean', bits, mask, ...(tf ? { tf } : {}) });
const bytes = (abbrev: string, name: string, extra: Partial<FieldSpec> = {}): FieldSpec => ({ abbrev, name, type: 'bytes', ...extra });
const ip4 = (abbrev: string, name: string): FieldSpec => ({ abbrev, name, type: 'ipv4' });
const ip6 = (abbrev: string, name: string): FieldSpec => ({ abbrev, name, type: 'ipv6' });
/** Wireshark registers each option as a protocol "in name only" of type FT_BYTES: -T fields prints its bytes. */
const optProto = (abbrev: string, name: string): FieldSpec => ({ abbrev, name: 'MIPv6 Option - ' + name, type: 'bytes', label: keyedLine(optionLabel, OPTION_KEY) });
const own = (spec: FieldSpec): FieldSpec => ({ ...spec, wireshark: false });

// ------------------------------------------------------------------ lazily computed values
const MONTHS = ['Jan', 'Feb', 'Mar', 'Apr', 'May', 'Jun', 'Jul', 'Aug', 'Sep', 'Oct', 'Nov', 'Dec'];
const tb = new TextBuf(64);

/** tshark's absolute-time text in UTC ("Nov 14, 2023 22:13:20.500000000 UTC"). Slow path (output only). */
export function absTimeUtc(sec: number, nsec: number): string {
  const d = new Date(sec * 1000);
  const day = d.getUTCDate();
  tb.clear().str(MONTHS[d.getUTCMonth()] ?? '???').byte(32);
  if (day < 10) tb.byte(32); // tshark pads the day with a space ("Jan  1, 1970")
  tb.dec(day).str(', ').dec(d.getUTCFullYear()).byte(32);
  tb.decPad(d.getUTCHours(), 2).byte(58).decPad(d.getUTCMinutes(), 2).byte(58).decPad(d.getUTCSeconds(), 2).byte(46).decPad(nsec, 9).str(' UTC');
  return tb.toString();
}

function rd(p: Packet, o: number): number {
  return p.data[p.base + o]!;
}

/** An option's line is its name and its bytes (options longer than 64 bytes are not kept). */
const OPTION_KEY = nodeKey(64);

/**
 * The tree line of a mobility option, as Wireshark 4.0 writes it: the option's name, and for
 * some options ": " and what they carry ("MIPv6 Option - GRE Key: 4097", "... Home Network
 * Prefix: 2001:db8:a:1::/64"). Just the name when the option is cut short or has another length.
 */
function optionLabel(p: Packet, node: number, b: TextBuf): void {
  const def = fieldDef(p.tree.fid[node]!);
  const off = p.tree.off[node]!;
  const size = p.tree.len[node]!;
  b.str(def.name);
  if (off < 0 || off + size > p.caplen || size < 2) return;
  const type = rd(p, off);
  const len = rd(p, off + 1);
  if (len + 2 !== size) return;
  const d = p.data;
  const o = p.base + off;
  switch (type) {
    case 8: // Mobile Node Identifier: the identifier as text
      if (len < 1) return;
      b.str(': ');
      for (let i = 3; i < size; i++) {
        const c = d[o + i]!;
        if (c >= 0x20 && c < 0x7f) b.byte(c);
        else b.str('\\x').hex(c, 2);
      }
      break;
    case 22: // Home Network Prefix: prefix/length
      if (len !== 18) return;
      b.str(': ').ipv6(d, o + 4).byte(47).dec(d[o + 3]!);
      break;
    case 23: // Handoff Indicator
      if (len !== 2) return;
      b.str(': ').str(HI_NAMES[d[o + 3]!] ?? 'Unknown');
      break;
    case 24: // Access Technology Type
      if (len !== 2) return;
      b.str(': ').str(ATT_NAMES[d[o + 3]!] ?? 'Unknown');
      break;
    case 27: { // Timestamp
      if (len !== 8) return;
      let sec = 0;
      for (let i = 2; i < 8; i++) sec = sec * 256 + d[o + i]!;
      const frac = (d[o + 8]! << 8) | d[o + 9]!;
      b.str(': ').str(absTimeUtc(sec, Math.floor((frac * 1e9) / 65536)));
      break;
    }
    case 33: // GRE Key: the key, when there is one
      if (len !== 6) return;
      b.str(': ').dec(((d[o + 4]! << 24) >>> 0) + ((d[o + 5]! << 16) | (d[o + 6]! << 8) | d[o + 7]!));
      break;
    case 36: // IPv4 Home Address Request
    case 38: // IPv4 Default-Router Address
      if (len !== 6) return;
      b.str(': ').ipv4(d, o + 4);
      break;
    case 37: // IPv4 Home Address Reply: status : address
      if (len !== 6) return;
      b.str(': ').str(IPV4_HOA_STATUS_NAMES[d[o + 2]!] ?? 'Unknown').str(' : ').ipv4(d, o + 4);
      break;
    default:
      return;
  }
}

/** RFC 5213 §8.8 timestamp: 48-bit seconds since 1970 + 16-bit 1/65536 fractions (ENC_TIME_MIP6). */
function mip6Timestamp(p: Packet, node: number): string {
  const o = p.tree.off[node]!;
  let sec = 0;
  for (let i = 0; i < 6; i++) sec = sec * 256 + rd(p, o + i);
  const frac = (rd(p, o + 6) << 8) | rd(p, o + 7);
  return absTimeUtc(sec, Math.floor((frac * 1e9) / 65536));
}

/** RFC 4285 MESG-ID: 32-bit seconds + 32-bit nanoseconds (Wireshark reads it as a plain timespec). */
function secsNsecsTimestamp(p: Packet, node: number): string {
  const o = p.tree.off[node]!;
  const sec = ((rd(p, o) << 24) >>> 0) + (rd(p, o + 1) << 16) + (rd(p, o + 2) << 8) + rd(p, o + 3);
  const ns = ((rd(p, o + 4) << 24) >>> 0) + (rd(p, o + 5) << 16) + (rd(p, o + 6) << 8) + rd(p, o + 7);
  return absTimeUtc(sec, ns);
}

/** Service Selection identifier: 3GPP APN label encoding when the first octet is < 0x20, else UTF-8. */
function ssIdentifier(p: Packet, node: number): string {
  const o = p.tree.off[node]!;
  const n = p.tree.len[node]!;
  const first = rd(p, o);
  tb.clear();
  if (first < 0x20) {
    let i = 0;
    while (i < n) {
      const l = rd(p, o + i);
      i++;
      if (tb.len > 0) tb.byte(46);
      for (let k = 0; k < l && i < n; k++, i++) tb.byte(rd(p, o + i));
    }
  } else tb.bytes(p.data, p.base + o, p.base + o + n);
  return tb.toString();
}

/** "2001:db8::/64" from the prefix-length octet followed by the 16-octet address. */
function addrSlashLen(p: Packet, node: number): string {
  const o = p.tree.off[node]!;
  return tb.clear().ipv6(p.data, p.base + o + 1).byte(47).dec(rd(p, o)).toString();
}

// ------------------------------------------------------------------ fields
export const F = defineFields({
  mipv6: { abbrev: 'mipv6', name: 'Mobile IPv6', short: 'MIPv6', type: 'protocol', description: 'IPv6 Mobility Header (RFC 6275 §6.1); Wireshark 4.0 calls the protocol "mipv6" and its fields "mip6.*"' },
  // ---- common header
  proto: u8('mip6.proto', 'Payload protocol', { strings: IPPROTO_NAMES }),
  hlen: u8('mip6.hlen', 'Header length', { description: 'Length of the MH in units of 8 octets, excluding the first 8' }),
  mhlen: own(u16('gretool.mip6.length', 'Mobility Header length', { unit: ' bytes', description: '(Header length + 1) * 8' })),
  mhtype: u8('mip6.mhtype', 'Mobility Header Type', { strings: MH_TYPE_NAMES }),
  reserved: u8('mip6.reserved', 'Reserved', { base: 'hex' }),
  csum: u16('mip6.csum', 'Checksum', { base: 'hex', description: 'Header Checksum' }),
  csum_status: own(u8('gretool.mip6.csum.status', 'Checksum Status', { strings: CSUM_STATUS_NAMES, description: '0 bad, 1 good, 2 unverified, 3 not present (0 over UDP), 4 illegal (non-zero over UDP)' })),
  csum_calc: own(u16('gretool.mip6.csum.calculated', 'Calculated Checksum', { base: 'hex' })),
  // ---- BRR / HoTI / CoTI / HoT / CoT
  brr: bytes('mip6.binding_refresh_request', 'Binding Refresh Request'),
  hoti_cookie: { abbrev: 'mip6.hoti.cookie', name: 'Home Init Cookie', type: 'uint64', base: 'hex' },
  coti_cookie: { abbrev: 'mip6.coti.cookie', name: 'Care-of Init Cookie', type: 'uint64', base: 'hex' },
  hot_nindex: u16('mip6.hot.nindex', 'Home Nonce Index'),
  hot_cookie: { abbrev: 'mip6.hot.cookie', name: 'Home Init Cookie', type: 'uint64', base: 'hex' },
  hot_token: { abbrev: 'mip6.hot.token', name: 'Home Keygen Token', type: 'uint64', base: 'hex' },
  cot_nindex: u16('mip6.cot.nindex', 'Care-of Nonce Index'),
  cot_cookie: { abbrev: 'mip6.cot.cookie', name: 'Care-of Init Cookie', type: 'uint64', base: 'hex' },
  // ---- (Proxy) Binding Update
  bu_seqnr: u16('mip6.bu.seqnr', 'Sequence number'),
  bu_a: flag('mip6.bu.a_flag', 'Acknowledge (A) flag', 16, 0x8000, ['Binding Acknowledgement requested', 'Binding Acknowledgement not requested']),
  bu_h: flag('mip6.bu.h_flag', 'Home Registration (H) flag', 16, 0x4000, ['Home Registration', 'No Home Registration']),
  bu_l: flag('mip6.bu.l_flag', 'Link-Local Compatibility (L) flag', 16, 0x2000, ['Link-Local Address Compatibility', 'No Link-Local Address Compatibility']),
  bu_k: flag('mip6.bu.k_flag', 'Key Management Compatibility (K) flag', 16, 0x1000, ['Key Management Mobility Compatibility', 'No Key Management Mobility Compatibility']),
  bu_m: flag('mip6.bu.m_flag', 'MAP Registration Compatibility (M) flag', 16, 0x0800, ['MAP Registration Compatibility', 'No MAP Registration Compatibility']),
  bu_r: flag('mip6.nemo.bu.r_flag', 'Mobile Router (R) flag', 16, 0x0400, ['Mobile Router Compatibility', 'No Mobile Router Compatibility']),
  bu_p: flag('mip6.bu.p_flag', 'Proxy Registration (P) flag', 16, 0x0200, ['Proxy Registration', 'No Proxy Registration']),
  bu_f: flag('mip6.bu.f_flag', 'Forcing UDP encapsulation (F) flag', 16, 0x0100, ['Forcing UDP encapsulation used', 'No Forcing UDP encapsulation']),
  bu_t: flag('mip6.bu.t_flag', 'TLV-header format (T) flag', 16, 0x0080, ['TLV-header format used', 'No TLV-header format']),
  bu_b: flag('mip6.bu.b_flag', 'Bulk-Binding-Update flag (B)', 16, 0x0040, ['Enable bulk binding update support', 'Disable bulk binding update support']),
  bu_reserved: own(u16('gretool.mip6.bu.reserved', 'Reserved flag bits', { mask: 0x003f, base: 'hex', description: 'BU flag bits 0x003F: sender 0, receiver ignores (RFC 6275 §6.1.7)' })),
  bu_lifetime: u16('mip6.bu.lifetime', 'Lifetime', { description: 'In units of 4 seconds; 0 = de-registration' }),
  bu_lifetime_s: own(u32('gretool.mip6.bu.lifetime_seconds', 'Lifetime (seconds)', { unit: ' seconds' })),
  // ---- (Proxy) Binding Acknowledgement
  ba_status: u8('mip6.ba.status', 'Status', { strings: BA_STATUS_NAMES }),
  ba_k: flag('mip6.ba.k_flag', 'Key Management Compatibility (K) flag', 8, 0x80, ['Key Management Mobility Compatibility', 'No Key Management Mobility Compatibility']),
  ba_r: flag('mip6.nemo.ba.r_flag', 'Mobile Router (R) flag', 8, 0x40, ['Mobile Router Compatibility', 'No Mobile Router Compatibility']),
  ba_p: flag('mip6.ba.p_flag', 'Proxy Registration (P) flag', 8, 0x20, ['Proxy Registration', 'No Proxy Registration']),
  ba_t: flag('mip6.ba.t_flag', 'TLV-header format (T) flag', 8, 0x10, ['TLV-header format used', 'No TLV-header format']),
  ba_b: flag('mip6.ba.b_flag', 'Bulk-Binding-Update flag (B)', 8, 0x08, ['Enabled bulk binding update support', 'Disabled bulk binding update support']),
  ba_reserved: own(u8('gretool.mip6.ba.reserved', 'Reserved flag bits', { mask: 0x07, base: 'hex', description: 'BA flag bits 0x07: sender 0, receiver ignores (RFC 6275 §6.1.8)' })),
  ba_seqnr: u16('mip6.ba.seqnr', 'Sequence number'),
  ba_lifetime: u16('mip6.ba.lifetime', 'Lifetime', { description: 'Granted lifetime in units of 4 seconds' }),
  ba_lifetime_s: own(u32('gretool.mip6.ba.lifetime_seconds', 'Lifetime (seconds)', { unit: ' seconds' })),
  // ---- other message types
  be_status: u8('mip6.be.status', 'Status', { strings: BE_STATUS_NAMES }),
  be_haddr: ip6('mip6.be.haddr', 'Home Address'),
  fbu_seqnr: u16('mip6.fbu.seqnr', 'Sequence number'),
  fbu_a: flag('mip6.fbu.a_flag', 'Acknowledge (A) flag', 8, 0x80, ['Fast Binding Acknowledgement requested', 'Fast Binding Acknowledgement not requested']),
  fbu_h: flag('mip6.fbu.h_flag', 'Home Registration (H) flag', 8, 0x40, ['Home Registration', 'No Home Registration']),
  fbu_l: flag('mip6.fbu.l_flag', 'Link-Local Compatibility (L) flag', 8, 0x20, ['Link-Local Address Compatibility', 'No Link-Local Address Compatibility']),
  fbu_k: flag('mip6.fbu.k_flag', 'Key Management Compatibility (K) flag', 8, 0x10, ['Key Management Mobility Compatibility', 'No Key Management Mobility Compatibility']),
  fbu_lifetime: u16('mip6.fbu.lifetime', 'Lifetime'),
  fback_status: u8('mip6.fback.status', 'Status', { strings: FBACK_STATUS_NAMES }),
  fback_k: flag('mip6.fback.k_flag', 'Key Management Compatibility (K) flag', 8, 0x80, ['Key Management Mobility Compatibility', 'No Key Management Mobility Compatibility']),
  fback_seqnr: u16('mip6.fback.seqnr', 'Sequence number'),
  fback_lifetime: u16('mip6.fback.lifetime', 'Lifetime'),
  fna: bytes('mip6.fast_neighbor_advertisement', 'Fast Neighbor Advertisement'),
  has_num: u8('mip6.has.num_addrs', 'Number of Addresses'),
  has_reserved: u8('mip6.has.reserved', 'Reserved', { base: 'hex' }),
  has_addr: ip6('mip6.has.address', 'Address'),
  hb_u: flag('mip6.hb.u_flag', 'Unsolicited (U) flag', 8, 0x02, ['Unsolicited Heartbeat Response', 'Otherwise']),
  hb_r: flag('mip6.hb.r_flag', 'Response (R) flag', 8, 0x01, ['Heartbeat Response', 'Heartbeat Request']),
  hb_seqnr: u32('mip6.hb.seqnr', 'Sequence number'),
  hi_seqnr: u16('mip6.hi.seqnr', 'Sequence number'),
  hi_s: flag('mip6.hi.s_flag', 'Assigned address configuration flag (S) flag', 8, 0x80),
  hi_u: flag('mip6.hi.u_flag', 'Buffer flag (U) flag', 8, 0x40),
  hi_code: u8('mip6.hi.code', 'Code'),
  hack_seqnr: u16('mip6.hack.seqnr', 'Sequence number'),
  hack_code: u8('mip6.hack.code', 'Code'),
  bri_type: u8('mip6.bri_br.type', 'B.R. Type'),
  bri_trigger: u8('mip6.bri_r.trigger', 'R. Trigger', { strings: BRI_TRIGGER_NAMES }),
  bri_status: u8('mip6.bri_status', 'Status', { strings: BRI_STATUS_NAMES }),
  bri_seqnr: u16('mip6.bri_seqnr', 'Sequence Number'),
  bri_ip: flag('mip6.bri_ip', 'Proxy Binding (P) Flag', 16, 0x8000),
  bri_iv: flag('mip6.bri_iv', 'IPv4 HoA Binding Only (V) Flag', 16, 0x4000),
  bri_ig: flag('mip6.bri_ig', 'Global (G) Flag', 16, 0x2000),
  bri_ap: flag('mip6.bri_ap', 'Proxy Binding (P) Flag', 16, 0x8000),
  bri_av: flag('mip6.bri_av', 'IPv4 HoA Binding Only (V) Flag', 16, 0x4000),
  bri_ag: flag('mip6.bri_ag', 'Global (G) Flag', 16, 0x2000),
  bri_res: u16('mip6.bri_res', 'Reserved', { base: 'hex', mask: 0x1fff }),
  lri_seq: u16('mip6.lri.sequence', 'Sequence'),
  lri_reserved: u16('mip6.lri.reserved', 'Reserved', { base: 'hex' }),
  lri_lifetime: u16('mip6.lri.lifetime', 'Lifetime', { base: 'hex' }),
  lra_seq: u16('mip6.lra.sequence', 'Sequence'),
  lra_u: flag('mip6.lri.unsolicited', 'unsolicited', 8, 0x80),
  lra_reserved: u8('mip6.lra.reserved', 'Reserved', { base: 'hex', mask: 0x7f }),
  lra_status: u8('mip6.lra.status', 'Status', { strings: LRA_STATUS_NAMES }),
  lra_lifetime: u16('mip6.lra.lifetime', 'Lifetime', { base: 'hex' }),
  unknown_data: bytes('mip6.unknown_type_data', 'Message Data'),
  // ---- option area
  opt_type: u8('mip6.mobility_opt', 'Mobility Option', { strings: OPTION_NAMES }),
  opt_len: u8('mip6.mobility_opt.len', 'Length'),
  opt_data: own(bytes('gretool.mip6.opt.data', 'Option Data')),
  o_pad1: optProto('mip6.options.pad1', 'Pad1'),
  o_padn: optProto('mip6.options.padn', 'PadN'),
  o_bra: optProto('mip6.options.bra', 'Binding Refresh Advice'),
  o_acoa: optProto('mip6.options.acoa', 'Alternate Care-of Address'),
  o_ni: optProto('mip6.options.ni', 'Nonce Indices'),
  o_bad: optProto('mip6.options.bad_auth', 'Authorization Data'),
  o_mnp: optProto('mip6.options.mnp', 'Mobile Network Prefix'),
  o_mhlla: optProto('mip6.options.mhlla', 'Mobility Header Link-Layer Address'),
  o_mnid: optProto('mip6.options.mnid', 'Mobile Node Identifier'),
  o_auth: optProto('mip6.options.auth', 'AUTH-OPTION-TYPE'),
  o_mesgid: optProto('mip6.options.mseg_id', 'MESG-ID-OPTION-TYPE'),
  o_cgapr: optProto('mip6.options.cgapr', 'CGA Parameters Request'),
  o_cgar: optProto('mip6.options.cgar', 'CGA Parameters'),
  o_sign: optProto('mip6.options.sign', 'Signature'),
  o_phkt: optProto('mip6.options.phkt', 'Permanent Home Keygen Token'),
  o_coti: optProto('mip6.options.coti', 'Care-of Test Init'),
  o_cot: optProto('mip6.options.cot', 'Care-of Test'),
  o_dnsu: optProto('mip6.options.dnsu', 'DNS-UPDATE-TYPE'),
  o_em: optProto('mip6.options.em', 'Experimental'),
  o_vsm: optProto('mip6.options.vsm', 'Vendor Specific'),
  o_ssm: optProto('mip6.options.ssm', 'Service Selection'),
  o_badff: optProto('mip6.options.badff', 'Binding Authorization Data for FMIPv6 (BADF)'),
  o_hnp: optProto('mip6.options.hnp', 'Home Network Prefix'),
  o_hi: optProto('mip6.options.hi', 'Handoff Indicator'),
  o_att: optProto('mip6.options.att', 'Access Technology Type Option'),
  o_mnlli: optProto('mip6.options.mnlli', 'Mobile Node Link-layer Identifier'),
  o_lla: optProto('mip6.options.lla', 'Link-local Address'),
  o_ts: optProto('mip6.options.ts', 'Timestamp'),
  o_rc: optProto('mip6.options.rc', 'Restart Counter'),
  o_ipv4ha: optProto('mip6.options.ipv4ha', 'IPv4 Home Address'),
  o_ipv4aa: optProto('mip6.options.ipv4aa', 'IPv4 Address Acknowledgement'),
  o_natd: optProto('mip6.options.natd', 'NAT Detection'),
  o_ipv4coa: optProto('mip6.options.ipv4coa', 'IPv4 Care-of Address'),
  o_grek: optProto('mip6.options.grek', 'GRE Key'),
  o_mhipv6ap: optProto('mip6.options.mhipv6ap', 'Mobility Header IPv6 Address/Prefix'),
  o_bi: optProto('mip6.options.bi', 'Binding Identifier'),
  o_ipv4hareq: optProto('mip6.options.ipv4hareq', 'IPv4 Home Address Request'),
  o_ipv4harep: optProto('mip6.options.ipv4harep', 'IPv4 Home Address Reply'),
  o_ipv4dra: optProto('mip6.options.ipv4dra', 'IPv4 Default-Router Address'),
  o_ipv4dsm: optProto('mip6.options.ipv4dsm', 'IPv4 DHCP Support Mode'),
  o_cr: optProto('mip6.options.cr', 'Context Request'),
  o_lmaa: optProto('mip6.options.lmaa', 'Mobile Node Link-local Address Interface Identifier'),
  o_recap: optProto('mip6.options.recap', 'Redirect-Capability'),
  o_redir: optProto('mip6.options.redir', 'Redirect'),
  o_load_inf: optProto('mip6.options.load_inf', 'Load Information'),
  o_alt_ip4: optProto('mip6.options.alt_ip4', 'Alternate IPv4'),
  o_mng: optProto('mip6.options.mng', 'Mobile Node Group Identifier'),
  o_mag_ipv6: optProto('mip6.options.mag_ipv6', 'MAG IPv6 Address'),
  o_acc_net_id: optProto('mip6.options.acc_net_id', 'Access Network Identifier'),
  o_dmnp: optProto('mip6.options.dmnp', 'Delegated Mobile Network Prefix'),
  // ---- option contents
  padn: bytes('mip6.padn', 'PadN'),
  bra_interval: u16('mip6.bra.interval', 'Refresh interval'),
  acoa: ip6('mip6.acoa.acoa', 'Alternate care-of address'),
  ni_hni: u16('mip6.ni.hni', 'Home nonce index'),
  ni_cni: u16('mip6.ni.cni', 'Care-of nonce index'),
  bad_auth: bytes('mip6.bad.auth', 'Authenticator'),
  mnp_pfl: u8('mip6.nemo.mnp.pfl', 'Mobile Network Prefix Length'),
  mnp_mnp: ip6('mip6.nemo.mnp.mnp', 'Mobile Network Prefix'),
  lla_optcode: u8('mip6.lla.optcode', 'Option-Code', { strings: LLA_OPTCODE_NAMES }),
  lla: bytes('mip6.lla', 'Link-layer address'),
  mnid_subtype: u8('mip6.mnid.subtype', 'Subtype', { strings: MNID_SUBTYPE_NAMES }),
  mnid_id: { abbrev: 'mip6.mnid.identifier', name: 'Identifier', type: 'string' },
  auth_subtype: u8('mip6.auth.subtype', 'Subtype', { strings: AUTH_SUBTYPE_NAMES }),
  auth_spi: u32('mip6.auth.mobility_spi', 'Mobility SPI'),
  auth_data: bytes('mip6.auth.auth_data', 'Authentication Data'),
  mesgid_ts: { abbrev: 'mip6.mseg_id.timestamp', name: 'Timestamp', type: 'abs_time', compute: secsNsecsTimestamp },
  cgar: bytes('mip6.cgar.cga_par', 'CGA Parameters'),
  sign: bytes('mip6.sign.sign', 'CGA Parameters'),
  phkt: bytes('mip6.phkt.phkt', 'Permanent Home Keygen Token'),
  cot_token: bytes('mip6.mocot.co_keygen_tok', 'Care-of Keygen Token'),
  dnsu_status: u8('mip6.dnsu.status', 'Status', { strings: DNSU_STATUS_NAMES }),
  dnsu_r: flag('mip6.dnsu.flag.r', 'R flag', 8, 0x80, ['Mobile Node is requesting the HA to remove the DNS entry', 'Mobile Node is requesting the HA to create or update a DNS entry']),
  dnsu_mnid: bytes('mip6.dnsu.mn_id', 'MN identity (FQDN)'),
  em_data: bytes('mip6.em.data', 'Data'),
  vsm_vid: u32('mip6.vsm.vendorId', 'Vendor Id', { strings: VENDOR_NAMES }),
  vsm_subtype: u8('mip6.vsm.subtype', 'Subtype', { strings: VSM_3GPP_SUBTYPE_NAMES }),
  vsm_data: bytes('mip6.vsm.data', 'Data'),
  vsm_req_data: bytes('mip6.vsm.req_data', 'Req-Data'),
  g3_reserved: u8('mip6.3gpp.reserved', 'Reserved', { mask: 0xfe }),
  g3_m: flag('mip6.3gpp.flag.m', 'M flag', 8, 0x01, ['True', 'False']),
  g3_err: u8('mip6.3gpp.spec_pmipv6_err_code', '3GPP Specific PMIPv6 Error Code'),
  g3_gw4: ip4('mip6.3gpp.pdn_gw_ipv4_addr', 'PDN GW IPv4 address'),
  g3_gw6: ip6('mip6.3gpp.pdn_gw_ipv6_addr', 'PDN GW IPv6 address'),
  g3_dhcpv4: u8('mip6.3gpp.dhcpv4_addr_all_proc_ind', 'DHCPv4 Address Allocation Procedure Indication'),
  g3_pdn_type: u8('mip6.3gpp.pdn_type', 'PDN type'),
  g3_pdn_cause: u8('mip6.3gpp.pdn_ind_cause', 'Cause'),
  g3_chg_id: u32('mip6.3gpp.chg_id', 'Charging ID'),
  g3_chg_char: u16('mip6.3gpp.charging_characteristic', 'Charging Characteristic', { base: 'hex', mask: 0xffff }),
  g3_apn_rest: u8('mip6.3gpp.apn_rest', 'APN Restriction'),
  g3_max_apn_rest: u8('mip6.3gpp.max_apn_rest', 'Maximum APN Restriction'),
  g3_pdn_conn_id: u8('mip6.3gpp.pdn_conn_id', 'PDN Connection ID', { mask: 0x0f }),
  g3_lapi: flag('mip6.3gpp.lapi', 'LAPI (Low Access Priority Indication)', 8, 0x01),
  ss_id: { abbrev: 'mip6.ss.identifier', name: 'Identifier', type: 'string', compute: ssIdentifier },
  badff_spi: u32('mip6.badff.spi', 'SPI'),
  badff_auth: bytes('mip6.badff.auth', 'Authenticator'),
  // HNP (22): Wireshark shows it with the NEMO MNP fields (mip6.nemo.mnp.*, mirrored hidden);
  // gretool's own names make the home network prefix a field of its own for the correlator.
  hnp_reserved: own(u8('gretool.mip6.hnp.reserved', 'Reserved')),
  hnp_prefix_len: own(u8('gretool.mip6.hnp.prefix_len', 'Prefix Length')),
  hnp_prefix: own(ip6('gretool.mip6.hnp.prefix', 'Home Network Prefix')),
  hi_reserved: u8('mip6.hi.reserved', 'Reserved'),
  hi: u8('mip6.hi', 'Handoff Indicator', { strings: HI_NAMES }),
  att_reserved: u8('mip6.att.reserved', 'Reserved'),
  att: u8('mip6.att', 'Access Technology Type', { strings: ATT_NAMES }),
  mnlli_reserved: u16('mip6.mnlli.reserved', 'Reserved', { mask: 0xffff }),
  mnlli_lli: bytes('mip6.mnlli.lli', 'Link-layer Identifier'),
  lila_lla: ip6('mip6.lila_lla', 'Link-local Address'),
  timestamp: { abbrev: 'mip6.timestamp_tmp', name: 'Timestamp', type: 'abs_time', compute: mip6Timestamp, description: 'RFC 5213 §8.8: 48-bit seconds since 1970 UTC + 16-bit 1/65536 s' },
  timestamp_raw: own({ abbrev: 'gretool.mip6.timestamp.raw', name: 'Timestamp (raw 64 bits)', type: 'uint64', base: 'hex' }),
  rc: u32('mip6.rc', 'Restart Counter'),
  ipv4ha_preflen: u8('mip6.ipv4ha.preflen', 'Prefix-len', { mask: 0xfc }),
  ipv4ha_p: flag('mip6.ipv4ha.p_flag', 'mobile network prefix (P) flag', 16, 0x0200, ['mobile network prefixt requested', 'mobile network prefix not requested']),
  ipv4ha_ha: ip4('mip6.ipv4ha.ha', 'IPv4 Home Address'),
  ipv4ha_reserved: u8('mip6.ipv4ha.reserved', 'Reserved', { base: 'hex' }),
  ipv4aa_sts: u8('mip6.ipv4aa.sts', 'Status', { strings: IPV4_HOA_STATUS_NAMES }),
  natd_f: flag('mip6.natd.f_flag', '(F) flag', 16, 0x8000, ['MUST use UDP encapsulation', 'Do not use UDP encapsulation']),
  natd_reserved: u16('mip6.natd.reserved', 'Reserved', { mask: 0x7fff }),
  natd_refresh: u32('mip6.natd.refresh_t', 'Refresh time', { unit: 's' }),
  ipv4coa_reserved: u16('mip6.ipv4coa.reserved', 'Reserved', { mask: 0xffff }),
  ipv4coa_addr: ip4('mip6.ipv4coa.addr', 'IPv4 Care-of address'),
  // GRE Key (33). Wireshark 4.0 shows the option's Reserved with the field of the IPv4
  // Default-Router option (mip6.ipv4dra.reserved); gretool adds it under its own name too.
  grek_reserved: own(u16('gretool.mip6.grekey.reserved', 'Reserved', { description: 'GRE Key option Reserved (RFC 5845 §6.1): sender 0, receiver ignores' })),
  gre_key: u32('mip6.gre_key', 'GRE Key', { description: 'RFC 5845 GRE Key Identifier: downlink key in a PBU, uplink key in a PBA', wire: true }),
  gre_key_hex: own(u32('gretool.mip6.gre_key_hex', 'GRE Key (hex)', { base: 'hex', description: 'The same key printed like gre.key, for matching data packets' })),
  mhipv6ap_code: u8('mip6.mhipv6ap.opt_code', 'Option-Code'),
  mhipv6ap_len: u8('mip6.mhipv6ap.len', 'Prefix Length'),
  mhipv6ap_addr: ip6('mip6.mhipv6ap.ipv6_address', 'IPv6 Address'),
  mhipv6ap_prefix: { abbrev: 'mip6.mhipv6ap.ipv6_address_prefix', name: 'IPv6 Address/Prefix', type: 'string', compute: addrSlashLen },
  bi_bid: u16('mip6.bi.bid', 'Binding ID (BID)'),
  bi_status: u8('mip6.bi.status', 'Status', { strings: BA_STATUS_NAMES }),
  bi_h: flag('mip6.bi.h_flag', 'Simultaneous Home and Foreign Binding (H)', 8, 0x80),
  bi_coa4: ip4('mip6.bi.coa_ipv4', 'IPv4 care-of address (CoA)'),
  bi_coa6: ip6('mip6.bi.coa_ipv6', 'IPv6 care-of address (CoA)'),
  ipv4dra_reserved: u16('mip6.ipv4dra.reserved', 'Reserved'),
  ipv4dra_dra: ip4('mip6.ipv4dra.dra', 'IPv4 Default-Router Address'),
  ipv4dsm_reserved: u16('mip6.ipv4dsm.reserved', 'Reserved', { mask: 0xfffe }),
  ipv4dsm_s: flag('mip6.ipv4dsm.s_flag', 'DHCP Support Mode (S)', 16, 0x0001, ['DHCP Server', 'DHCP Relay']),
  cr_reserved: u16('mip6.cr.reserved', 'Reserved'),
  cr_req_type: u8('mip6.cr.req_type', 'Req-type', { strings: OPTION_NAMES }),
  cr_req_len: u8('mip6.cr.req_length', 'Req-length'),
  lmaa_code: u8('mip6.lmaa.opt_code', 'Option-Code'),
  lmaa_reserved: u8('mip6.lmaa.reserved', 'Reserved'),
  lmaa_ipv4: ip4('mip6.lmaa.ipv4', 'Local Mobility Anchor Address'),
  lmaa_ipv6: ip6('mip6.lmaa.ipv6', 'Local Mobility Anchor Address'),
  recap_reserved: u16('mip6.recap.reserved', 'Reserved', { base: 'hex' }),
  redir_k: flag('mip6.redir.k', 'K', 16, 0x8000),
  redir_n: flag('mip6.redir.n', 'N', 16, 0x4000),
  redir_reserved: u16('mip6.redir.reserved', 'Reserved', { base: 'hex', mask: 0x3fff }),
  redir_ipv6: ip6('mip6.redir.addr_r2lma_ipv6', 'IPv6 r2LMA Address'),
  redir_ipv4: ip4('mip6.redir.addr_r2lma_ipv4', 'IPv4 r2LMA Address'),
  li_priority: u16('mip6.load_inf.priority', 'Priority'),
  li_sessions: u32('mip6.load_inf.sessions_in_use', 'Sessions in Use'),
  li_max_sessions: u32('mip6.load_inf.maximum_sessions', 'Maximum Sessions'),
  li_used_cap: u32('mip6.load_inf.used_capacity', 'Used Capacity'),
  li_max_cap: u32('mip6.load_inf.maximum_capacity', 'Maximum Capacity'),
  alt_ip4: ip4('mip6.alt_ip4', 'Alternate IPv4 Care-of Address'),
  mng_subtype: u8('mip6.mng.sub_type', 'Sub Type', { strings: MNG_SUBTYPE_NAMES }),
  mng_reserved: u8('mip6.mng.reserved', 'Reserved'),
  mng_id: u32('mip6.mng.mng_id', 'Mobile Node Group Identifier'),
  mag6_reserved: u8('mip6.mag_ipv6.reserved', 'Reserved', { base: 'hex' }),
  mag6_len: u8('mip6.mag_ipv6.address_length', 'Address Length'),
  mag6_addr: ip6('mip6.mag_ipv6.address', 'Address'),
  dmnp_v: flag('mip6.dmnp.v_flag', 'IPv4 Prefix (V) flag', 8, 0x80, ['IPv4 Prefix', 'IPv6 Prefix']),
  dmnp_reserved: u8('mip6.dmnp.reserved', 'Reserved', { mask: 0x7f }),
  dmnp_len: u8('mip6.dmnp.prefix_len', 'Prefix Length'),
  dmnp_ipv4: ip4('mip6.dmnp.dmnp_ipv4', 'IPv4 Delegated Mobile Network Prefix'),
  dmnp_ipv6: ip6('mip6.dmnp.dmnp_ipv6', 'IPv6 Delegated Mobile Network Prefix'),
});

// Every mip6.* / gretool.mip6.* field belongs to the "mipv6" protocol (Wireshark's parent
// column). The registry infers protocols from name prefixes, which cannot map "mip6." to
// "mipv6", so the protocol is set here once at load.
for (const id of Object.values(F)) fieldDef(id).proto = F.mipv6;

// ------------------------------------------------------------------ expert items
const lint = (rule: string, group: 'protocol' | 'malformed' | 'checksum', severity: 'error' | 'warning' | 'note', summary: string) => ({
  abbrev: 'gretool.lint.' + rule,
  group,
  severity,
  summary,
  rule,
});

export const X = defineExperts({
  // Wireshark 4.0's own mip6 expert items (same abbrevs)
  optLenInvalid: { abbrev: 'mip6.opt.len.invalid', group: 'malformed', severity: 'error', summary: 'Invalid option length {0}: {1}' },
  optPastEnd: { abbrev: 'gretool.mip6.opt.past_end', group: 'malformed', severity: 'error', summary: '{0} (option length = {1} says option goes past end of options)' },
  optMisaligned: { abbrev: 'gretool.mip6.opt.misaligned', group: 'protocol', severity: 'note', summary: '{0} option at MH+{1} does not meet its alignment requirement (xn+y, RFC 2460 §4.2)' },
  ieNotDissected: { abbrev: 'mip6.ie_not_dissected', group: 'undecoded', severity: 'note', summary: 'IE data not dissected yet' },
  vsmNotDissected: { abbrev: 'mip6.vsm.data_not_dissected', group: 'undecoded', severity: 'note', summary: 'Data (Not dissected yet)' },
  // packet-scope lint rules (shared/spec/lint-rules.md §1 and §4)
  greBadLen: lint('P-GREKEY-BAD-LEN', 'malformed', 'error', 'GRE Key option Length {0}: RFC 5845 §6.1 defines only 2 (no key) and 6 (key present)'),
  greReserved: lint('P-GREKEY-RESERVED-NONZERO', 'protocol', 'warning', 'GRE Key option Reserved is {0}, must be sent as 0 (RFC 5845 §6.1)'),
  greMisaligned: lint('P-GREKEY-MISALIGNED', 'protocol', 'warning', 'GRE Key option at MH+{0} is not on a 4-octet boundary (alignment 4n, RFC 5845 §6.1)'),
  greDuplicate: lint('P-GREKEY-DUPLICATE', 'protocol', 'warning', 'More than one GRE Key option in one message ({0}); which key applies is undefined'),
  greWrongMsg: lint('P-GREKEY-WRONG-MSG', 'protocol', 'warning', 'GRE Key option in {0}: it is defined only for the PBU and PBA (RFC 5845 §6.1)'),
  pbaS2HasKey: lint('P-PBA-S2-HAS-GREKEY', 'protocol', 'error', 'PBA status 2 (GRE_KEY_OPTION_NOT_REQUIRED) carries a GRE Key option (RFC 5845 §5.2)'),
  pbaS3TSet: lint('P-PBA-S3-T-SET', 'protocol', 'error', 'PBA status 3 (GRE_TUNNELING_BUT_TLV_HEADER_NOT_SUPPORTED) has the T flag set (RFC 5845 §7.3)'),
  pbaS3NoKey: lint('P-PBA-S3-NO-GREKEY', 'protocol', 'warning', 'PBA status 3 (GRE tunnelling accepted) without a GRE Key option (RFC 5845 §6.4)'),
  pbaRejectHasKey: lint('P-PBA-REJECT-HAS-GREKEY', 'protocol', 'note', 'Rejecting PBA (status {0}) hands out a GRE key'),
  pbuTNoKey: lint('P-PBU-T-NO-GREKEY', 'protocol', 'warning', 'PBU with the T flag set and no GRE Key option (RFC 5845 §4.1, §7.3)'),
  pbaTNoKey: lint('P-PBA-T-NO-GREKEY', 'protocol', 'note', 'Successful PBA with the T flag set and no GRE Key option: TLV mode does not come into force (RFC 5845 §7.3)'),
  tOverIpv6: lint('P-T-OVER-IPV6', 'protocol', 'note', 'T flag set in a {0} carried over IPv6 (the TLV format is for IPv4-UDP, RFC 5845 §6.2/§6.3)'),
  pbuDeregHasKey: lint('P-PBU-DEREG-HAS-GREKEY', 'protocol', 'warning', 'De-registration PBU (lifetime 0) carries a GRE Key option (RFC 5845 §4.2)'),
  mhPayloadProto: lint('P-MH-PAYLOAD-PROTO', 'protocol', 'error', 'MH Payload Proto is {0}, must be 59 (IPPROTO_NONE) (RFC 6275 §9.2)'),
  mhHdrLen: lint('P-MH-HDRLEN', 'malformed', 'error', 'MH Header Len gives {0} octets, {1} (RFC 6275 §6.1.1, §9.2)'),
  mhOptOverrun: lint('P-MH-OPT-OVERRUN', 'malformed', 'error', 'Mobility option at MH+{0} runs past the end of the Mobility Header (RFC 6275 §6.2.1)'),
  mhCksumBad: lint('P-MH-CKSUM-BAD', 'checksum', 'error', 'Bad MH checksum {0}, should be {1} (RFC 6275 §6.1.1)'),
  mhCksumUdp: lint('P-MH-CKSUM-NONZERO-UDP', 'checksum', 'warning', 'MH over UDP has checksum {0}; the sender must put 0 (RFC 5844 §4.1.3.2, §4.2.2.1)'),
  mhReserved: lint('P-MH-RESERVED-NONZERO', 'protocol', 'warning', 'MH Reserved octet is {0}, must be sent as 0 (RFC 6275 §6.1.1)'),
  buReservedFlags: lint('P-BU-RESERVED-FLAGS', 'protocol', 'note', 'BU reserved flag bits 0x003F are {0} (RFC 6275 §6.1.7)'),
  baReservedFlags: lint('P-BA-RESERVED-FLAGS', 'protocol', 'note', 'BA reserved flag bits 0x07 are {0} (RFC 6275 §6.1.8)'),
  bWithoutP: lint('P-B-WITHOUT-P', 'protocol', 'error', 'B flag set while P is clear in a {0} (RFC 6602 §4.1/§4.2)'),
  padnNonzero: lint('P-PADN-NONZERO', 'protocol', 'note', 'PadN option carries non-zero octets (RFC 6275 §6.2.3)'),
});
