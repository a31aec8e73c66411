/**
 * Mobility options (RFC 6275 §6.2 and the PMIPv6 RFCs), one Dissector per option type in the
 * "mip6.option" dispatch table, so options are data: a new option is one entry here.
 *
 * Each option dissector gets [off, end) = the option's Type octet up to the end its Length
 * declares. Reads past `end` are malformation (Wireshark hands each option a sub-tvb of
 * Length + 2 octets and reads fields at fixed positions, so a short option throws), and the
 * exception ends the MH, as in tshark 4.0. The walk itself never reads past the option area.
 *
 * Tree shape: a text header "MIPv6 Option - <name>" (as Wireshark shows it) whose children are
 * the option's fields; the option's Wireshark protocol-in-name-only field (mip6.options.<x>,
 * printed by tshark -T fields as the option's bytes) is a hidden child, for filters and parity.
 */
import { table, type Dissector } from '../../engine/dispatch.js';
import { fieldDef } from '../../engine/fields.js';
import { GENERATED, HIDDEN, type Packet } from '../../engine/packet.js';
import { ctx } from './context.js';
import { F, X } from './fields.js';
import { GRE_KEY_LEN_NO_KEY, GRE_KEY_LEN_WITH_KEY, MH_TYPE, OPT, OPT_ALIGN } from './layout.js';
import { greKeyOptionInfo, mnIdInfo } from './info.js';
import { MH_TYPE_NAMES, OPTION_NAMES, VENDOR_3GPP } from './names.js';

export const optionTable = table('mip6.option', 256);

// ------------------------------------------------------------------ constant labels (built once)
const hex2 = (n: number) => n.toString(16).padStart(2, '0');
/** "Unknown (0x63)", Wireshark's label for an option type without a dissector. */
const UNKNOWN_LABEL: string[] = Array.from({ length: 256 }, (_, t) => `Unknown (0x${hex2(t)})`);
const SHOULD_BE: string[] = Array.from({ length: 256 }, (_, n) => `should be ${n}`);
const SHOULD_BE_GE: string[] = Array.from({ length: 256 }, (_, n) => `should be >= ${n}`);
const WRONG_MSG_NO_P: Record<number, string> = {
  [MH_TYPE.BU]: 'a Binding Update without the P flag',
  [MH_TYPE.BA]: 'a Binding Acknowledgement without the P flag',
};

/** The Length node of the option header just added (for length findings). */
let lenNode = -1;
/** The header node of the option just dissected (for the walk's alignment finding; negative when not materialised). */
let optNode = -1;

/**
 * Option header: the option's protocol item ("MIPv6 Option - GRE Key", its value the option's
 * bytes, as Wireshark registers each option) heads the option's subtree, then Length. Returns
 * the option node.
 */
function header(p: Packet, off: number, end: number, parent: number, fid: number): number {
  const node = p.add(fid, off, end - off, parent);
  optNode = node;
  lenNode = p.add(F.opt_len, off + 1, 1, node);
  return node;
}

/** Wireshark's mip6_fixed_option_header check: Length must equal `want`. */
function fixedLen(p: Packet, len: number, want: number): void {
  if (len !== want) p.expert(X.optLenInvalid, lenNode, len, SHOULD_BE[want]);
}

/** Wireshark's mip6_var_option_header check: Length must be at least `min`. */
function minLen(p: Packet, len: number, min: number): void {
  if (len < min) p.expert(X.optLenInvalid, lenNode, len, SHOULD_BE_GE[min]);
}

/** Adds a field of `n` octets at `o`, after checking it lies within the option. */
function item(p: Packet, fid: number, o: number, n: number, end: number, parent: number, flags = 0): number {
  p.need(o, n, end);
  return p.add(fid, o, n, parent, flags);
}

type OptBody = (p: Packet, off: number, end: number, node: number, len: number) => void;

function reg(type: number, fid: number, body: OptBody): void {
  const d: Dissector = {
    proto: fid,
    name: fieldDef(fid).abbrev,
    dissect(p: Packet, off: number, end: number, parent: number): void {
      const node = header(p, off, end, parent, fid);
      body(p, off, end, node, end - off - 2);
    },
  };
  optionTable.add(type, d);
}

/** A fixed-length option whose fields are listed as [fid, offset-in-option, octets]. */
function fixed(type: number, fid: number, want: number, fields: readonly (readonly [number, number, number])[]): void {
  reg(type, fid, (p, off, end, node, len) => {
    fixedLen(p, len, want);
    for (let i = 0; i < fields.length; i++) {
      const f = fields[i]!;
      item(p, f[0], off + f[1], f[2], end, node);
    }
  });
}

// ------------------------------------------------------------------ Pad1 / PadN
export function dissectPad1(p: Packet, off: number, parent: number): void {
  p.add(F.o_pad1, off, 1, parent);
}

reg(OPT.PADN, F.o_padn, (p, off, end, node, len) => {
  minLen(p, len, 0);
  if (len > 0) {
    const n = item(p, F.padn, off + 2, len, end, node);
    const d = p.data;
    for (let i = p.base + off + 2, e = p.base + end; i < e; i++) {
      if (d[i] !== 0) {
        p.expert(X.padnNonzero, n);
        break;
      }
    }
  }
});

// ------------------------------------------------------------------ MIPv6 / NEMO / FMIPv6 options
fixed(OPT.BRA, F.o_bra, 2, [[F.bra_interval, 2, 2]]);
fixed(OPT.ACOA, F.o_acoa, 16, [[F.acoa, 2, 16]]);
fixed(OPT.NI, F.o_ni, 4, [[F.ni_hni, 2, 2], [F.ni_cni, 4, 2]]);
reg(OPT.AUTH_DATA, F.o_bad, (p, off, end, node, len) => {
  minLen(p, len, 0);
  item(p, F.bad_auth, off + 2, len, end, node);
});
fixed(OPT.MNP, F.o_mnp, 18, [[F.mnp_pfl, 3, 1], [F.mnp_mnp, 4, 16]]);
reg(OPT.MHLLA, F.o_mhlla, (p, off, end, node, len) => {
  minLen(p, len, 1);
  item(p, F.lla_optcode, off + 2, 1, end, node);
  if (len > 1) item(p, F.lla, off + 3, len - 1, end, node);
});
reg(OPT.MNID, F.o_mnid, (p, off, end, node, len) => {
  minLen(p, len, 2);
  item(p, F.mnid_subtype, off + 2, 1, end, node);
  if (len > 1) {
    item(p, F.mnid_id, off + 3, len - 1, end, node);
    if ((ctx.type === MH_TYPE.BU || ctx.type === MH_TYPE.BA) && p.colsOn) mnIdInfo(p.cols.info, p.data, p.base + off + 3, p.base + end);
  }
});

reg(OPT.AUTH, F.o_auth, (p, off, end, node, len) => {
  minLen(p, len, 6);
  item(p, F.auth_subtype, off + 2, 1, end, node);
  item(p, F.auth_spi, off + 3, 4, end, node);
  // RFC 4285 §5: the data is everything after the SPI (Wireshark 4.0 shows Length - 7 octets of it)
  item(p, F.auth_data, off + 7, len - 5, end, node);
});
fixed(OPT.MESG_ID, F.o_mesgid, 8, [[F.mesgid_ts, 2, 8]]);
fixed(OPT.CGAPR, F.o_cgapr, 0, []);
reg(OPT.CGAR, F.o_cgar, (p, off, end, node, len) => {
  minLen(p, len, 1);
  item(p, F.cgar, off + 2, len, end, node);
});
reg(OPT.SIGN, F.o_sign, (p, off, end, node, len) => {
  minLen(p, len, 1);
  item(p, F.sign, off + 2, len, end, node);
});
reg(OPT.PHKT, F.o_phkt, (p, off, end, node, len) => {
  minLen(p, len, 1);
  item(p, F.phkt, off + 2, len, end, node);
});
fixed(OPT.COTI, F.o_coti, 0, []);
fixed(OPT.COT, F.o_cot, 8, [[F.cot_token, 2, 8]]);
reg(OPT.DNSU, F.o_dnsu, (p, off, end, node, len) => {
  minLen(p, len, 5);
  item(p, F.dnsu_status, off + 2, 1, end, node);
  item(p, F.dnsu_r, off + 3, 1, end, node);
  item(p, F.dnsu_mnid, off + 4, len - 2, end, node);
});
reg(OPT.EM, F.o_em, (p, off, end, node, len) => {
  minLen(p, len, 1);
  item(p, F.em_data, off + 2, len, end, node);
});

// 19 Vendor-Specific (RFC 5094), with the 3GPP TS 29.275 sub-options that are plain numbers
reg(OPT.VSM, F.o_vsm, (p, off, end, node, len) => {
  minLen(p, len, 2);
  item(p, F.vsm_vid, off + 2, 4, end, node);
  const vid = p.u32(off + 2);
  const o = off + 6;
  if (vid !== VENDOR_3GPP) {
    item(p, F.vsm_subtype, o, 1, end, node);
    // RFC 5094 §3: the data is everything after the sub-type (Wireshark 4.0 drops its last 2 octets)
    if (len - 5 > 0) item(p, F.vsm_data, o + 1, len - 5, end, node);
    return;
  }
  item(p, F.vsm_subtype, o, 1, end, node);
  item(p, F.g3_reserved, o + 1, 1, end, node);
  item(p, F.g3_m, o + 1, 1, end, node);
  const sub = p.u8(o);
  const m = p.u8(o + 1) & 1;
  const d = o + 2;
  const dlen = len - 6;
  if (m) {
    p.expert(X.vsmNotDissected, p.addText(d, Math.max(0, dlen), node, 'Data fragment, handling not implemented yet'));
    return;
  }
  switch (sub) {
    case 2: item(p, F.g3_err, d, 1, end, node); break;
    case 3:
      if (dlen === 4) item(p, F.g3_gw4, d, 4, end, node);
      else if (dlen === 16) item(p, F.g3_gw6, d, 16, end, node);
      break;
    case 4: item(p, F.g3_dhcpv4, d, 1, end, node); break;
    case 6: item(p, F.g3_pdn_type, d, 1, end, node); item(p, F.g3_pdn_cause, d + 1, 1, end, node); break;
    case 7: item(p, F.g3_chg_id, d, 4, end, node); break;
    case 10: item(p, F.g3_chg_char, d, 2, end, node); break;
    case 14: item(p, F.g3_apn_rest, d, 1, end, node); break;
    case 15: item(p, F.g3_max_apn_rest, d, 1, end, node); break;
    case 17: item(p, F.g3_pdn_conn_id, d, 1, end, node); break;
    case 19: item(p, F.g3_lapi, d, 1, end, node); break;
    default:
      if (dlen > 0) p.expert(X.vsmNotDissected, item(p, F.opt_data, d, dlen, end, node));
      else p.expert(X.vsmNotDissected, node);
  }
});

reg(OPT.SSM, F.o_ssm, (p, off, end, node, len) => {
  minLen(p, len, 1);
  if (len > 0) item(p, F.ss_id, off + 2, len, end, node);
});
reg(OPT.BADFF, F.o_badff, (p, off, end, node, len) => {
  minLen(p, len, 4);
  item(p, F.badff_spi, off + 2, 4, end, node);
  item(p, F.badff_auth, off + 6, len - 4, end, node);
});

// ------------------------------------------------------------------ PMIPv6 options (RFC 5213 §8)
// 22 Home Network Prefix: Reserved(8) · Prefix Length(8) · Prefix(128), alignment 8n+4
reg(OPT.HNP, F.o_hnp, (p, off, end, node, len) => {
  fixedLen(p, len, 18);
  item(p, F.hnp_reserved, off + 2, 1, end, node);
  item(p, F.hnp_prefix_len, off + 3, 1, end, node);
  item(p, F.mnp_pfl, off + 3, 1, end, node, HIDDEN);
  item(p, F.hnp_prefix, off + 4, 16, end, node);
  item(p, F.mnp_mnp, off + 4, 16, end, node, HIDDEN);
});
fixed(OPT.HI, F.o_hi, 2, [[F.hi_reserved, 2, 1], [F.hi, 3, 1]]);
fixed(OPT.ATT, F.o_att, 2, [[F.att_reserved, 2, 1], [F.att, 3, 1]]);
reg(OPT.MNLLI, F.o_mnlli, (p, off, end, node, len) => {
  minLen(p, len, 1);
  item(p, F.mnlli_reserved, off + 2, 2, end, node);
  item(p, F.mnlli_lli, off + 4, len - 2, end, node);
});
fixed(OPT.LLA, F.o_lla, 16, [[F.lila_lla, 2, 16]]);
reg(OPT.TS, F.o_ts, (p, off, end, node, len) => {
  fixedLen(p, len, 8);
  item(p, F.timestamp, off + 2, 8, end, node);
  item(p, F.timestamp_raw, off + 2, 8, end, node, HIDDEN);
});
fixed(OPT.RC, F.o_rc, 4, [[F.rc, 2, 4]]);

// ------------------------------------------------------------------ DSMIPv6 (RFC 5555) and PMIPv6 IPv4 (RFC 5844)
fixed(OPT.IPV4HA, F.o_ipv4ha, 6, [[F.ipv4ha_preflen, 2, 1], [F.ipv4ha_p, 2, 2], [F.ipv4ha_ha, 4, 4]]);
fixed(OPT.IPV4AA, F.o_ipv4aa, 6, [[F.ipv4aa_sts, 2, 1], [F.ipv4ha_preflen, 3, 1], [F.ipv4ha_ha, 4, 4]]);
fixed(OPT.NATD, F.o_natd, 6, [[F.natd_f, 2, 2], [F.natd_reserved, 2, 2], [F.natd_refresh, 4, 4]]);
fixed(OPT.IPV4COA, F.o_ipv4coa, 6, [[F.ipv4coa_reserved, 2, 2], [F.ipv4coa_addr, 4, 4]]);
fixed(OPT.IPV4HAREQ, F.o_ipv4hareq, 6, [[F.ipv4ha_preflen, 2, 1], [F.ipv4ha_reserved, 3, 1], [F.ipv4ha_ha, 4, 4]]);
fixed(OPT.IPV4HAREP, F.o_ipv4harep, 6, [[F.ipv4aa_sts, 2, 1], [F.ipv4ha_preflen, 3, 1], [F.ipv4ha_ha, 4, 4]]);
fixed(OPT.IPV4DRA, F.o_ipv4dra, 6, [[F.ipv4dra_reserved, 2, 2], [F.ipv4dra_dra, 4, 4]]);
fixed(OPT.IPV4DSM, F.o_ipv4dsm, 2, [[F.ipv4dsm_reserved, 2, 2], [F.ipv4dsm_s, 2, 2]]);

// ------------------------------------------------------------------ 33 GRE Key (RFC 5845 §6.1)
reg(OPT.GRE_KEY, F.o_grek, (p, off, end, node, len) => {
  const rel = off - ctx.mh;
  // message-level facts first: they hold even if the option turns out too short to read
  ctx.greCount++;
  if (ctx.greCount === 1) ctx.greNode = node;
  else if (ctx.greCount === 2) p.expert(X.greDuplicate, node, rel);
  if (len !== GRE_KEY_LEN_NO_KEY && len !== GRE_KEY_LEN_WITH_KEY) p.expert(X.greBadLen, lenNode, len);
  if ((rel & 3) !== 0) p.expert(X.greMisaligned, node, rel);
  if (ctx.type !== MH_TYPE.BU && ctx.type !== MH_TYPE.BA) p.expert(X.greWrongMsg, node, MH_TYPE_NAMES[ctx.type] ?? 'an unknown message type');
  else if (!ctx.proxy) p.expert(X.greWrongMsg, node, WRONG_MSG_NO_P[ctx.type]);
  minLen(p, len, GRE_KEY_LEN_NO_KEY);
  // Reserved: gretool's name shown; Wireshark 4.0's name (the IPv4 Default-Router option's
  // field) mirrored hidden so `-e mip6.ipv4dra.reserved` and filters keep working.
  const r = item(p, F.grek_reserved, off + 2, 2, end, node);
  p.add(F.ipv4dra_reserved, off + 2, 2, node, HIDDEN);
  const reserved = p.u16(off + 2);
  if (reserved !== 0) p.expert(X.greReserved, r, reserved);
  if (len === GRE_KEY_LEN_WITH_KEY) {
    item(p, F.gre_key, off + 4, 4, end, node);
    const key = p.u32(off + 4);
    p.addNum(F.gre_key_hex, off + 4, 4, node, key, GENERATED);
    ctx.greWithKey = true;
    if (p.colsOn) greKeyOptionInfo(p.cols.info, len, key);
  } else if (p.colsOn) greKeyOptionInfo(p.cols.info, len, 0);
});

// ------------------------------------------------------------------ other IANA options Wireshark decodes
reg(OPT.MHIPV6AP, F.o_mhipv6ap, (p, off, end, node, len) => {
  fixedLen(p, len, 18);
  item(p, F.mhipv6ap_code, off + 2, 1, end, node);
  item(p, F.mhipv6ap_len, off + 3, 1, end, node);
  item(p, F.mhipv6ap_addr, off + 4, 16, end, node);
  p.add(F.mhipv6ap_prefix, off + 3, 17, node, GENERATED);
});
reg(OPT.BI, F.o_bi, (p, off, end, node, len) => {
  minLen(p, len, 4);
  item(p, F.bi_bid, off + 2, 2, end, node);
  item(p, F.bi_status, off + 4, 1, end, node);
  item(p, F.bi_h, off + 5, 1, end, node);
  if (len === 8) item(p, F.bi_coa4, off + 6, 4, end, node);
  else if (len === 20) item(p, F.bi_coa6, off + 6, 16, end, node);
});
reg(OPT.CR, F.o_cr, (p, off, end, node, len) => {
  minLen(p, len, 4);
  item(p, F.cr_reserved, off + 2, 2, end, node);
  let o = off + 4;
  while (o - off - 2 < len) {
    item(p, F.cr_req_type, o, 1, end, node);
    const t = p.u8(o);
    item(p, F.cr_req_len, o + 1, 1, end, node);
    const l = p.u8(o + 1);
    o += 2;
    if (l === 0) continue;
    if (t === OPT.VSM) {
      item(p, F.vsm_vid, o, 4, end, node);
      item(p, F.vsm_subtype, o + 4, 1, end, node);
    } else item(p, F.vsm_req_data, o, l, end, node);
    o += l;
  }
});
reg(OPT.LMAA, F.o_lmaa, (p, off, end, node, len) => {
  minLen(p, len, 6);
  item(p, F.lmaa_code, off + 2, 1, end, node);
  item(p, F.lmaa_reserved, off + 3, 1, end, node);
  const code = p.u8(off + 2);
  if (code === 1) item(p, F.lmaa_ipv6, off + 4, 16, end, node);
  else if (code === 2) item(p, F.lmaa_ipv4, off + 4, 4, end, node);
});
fixed(46, F.o_recap, 2, [[F.recap_reserved, 2, 2]]);
reg(47, F.o_redir, (p, off, end, node, len) => {
  minLen(p, len, 6);
  item(p, F.redir_k, off + 2, 2, end, node);
  item(p, F.redir_n, off + 2, 2, end, node);
  item(p, F.redir_reserved, off + 2, 2, end, node);
  const fl = p.u16(off + 2);
  let o = off + 4;
  if (fl & 0x8000) {
    item(p, F.redir_ipv6, o, 16, end, node);
    o += 16;
  }
  if (fl & 0x4000) item(p, F.redir_ipv4, o, 4, end, node);
});
fixed(48, F.o_load_inf, 18, [[F.li_priority, 2, 2], [F.li_sessions, 4, 4], [F.li_max_sessions, 8, 4], [F.li_used_cap, 12, 4], [F.li_max_cap, 16, 4]]);
fixed(49, F.o_alt_ip4, 4, [[F.alt_ip4, 2, 4]]);
fixed(OPT.MNG, F.o_mng, 6, [[F.mng_subtype, 2, 1], [F.mng_reserved, 3, 1], [F.mng_id, 4, 4]]);
// 51 MAG IPv6 Address (RFC 6705 §11.1: Length 18; Wireshark 4.0 expects 16 yet reads 18 octets)
fixed(51, F.o_mag_ipv6, 18, [[F.mag6_reserved, 2, 1], [F.mag6_len, 3, 1], [F.mag6_addr, 4, 16]]);
// 52 Access Network Identifier (RFC 6757): sub-options not decoded, shown as data
reg(52, F.o_acc_net_id, (p, off, end, node, len) => {
  minLen(p, len, 3);
  if (len > 0) p.expert(X.ieNotDissected, item(p, F.opt_data, off + 2, len, end, node));
});
reg(55, F.o_dmnp, (p, off, end, node, len) => {
  minLen(p, len, 6);
  item(p, F.dmnp_v, off + 2, 1, end, node);
  item(p, F.dmnp_reserved, off + 2, 1, end, node);
  item(p, F.dmnp_len, off + 3, 1, end, node);
  if (len === 6) item(p, F.dmnp_ipv4, off + 4, 4, end, node);
  else if (len === 18) item(p, F.dmnp_ipv6, off + 4, 16, end, node);
  else p.expert(X.optLenInvalid, lenNode, len, 'should be 6 or 18');
});

// ------------------------------------------------------------------ unknown options and the walk
function unknownOption(p: Packet, off: number, end: number, parent: number, type: number): void {
  const node = p.addText(off, end - off, parent, UNKNOWN_LABEL[type]!);
  optNode = node;
  p.add(F.opt_type, off, 1, node);
  // the option's own Length octet (Wireshark 4.0 shows the MH Header Len octet here: a bug)
  p.add(F.opt_len, off + 1, 1, node);
  if (end - off > 2) p.add(F.opt_data, off + 2, end - off - 2, node);
  p.expert(X.ieNotDissected, node);
}

function overrun(p: Packet, off: number, optEnd: number, parent: number, type: number, len: number | string): void {
  const name = OPTION_NAMES[type] ?? UNKNOWN_LABEL[type]!;
  const node = p.addText(off, optEnd - off, parent, name);
  p.expert(X.optPastEnd, node, name, len);
  p.expert(X.mhOptOverrun, node, off - ctx.mh);
}

/**
 * Alignment "xn+y" of the option's Type octet from the MH start (OPT_ALIGN; the Binding
 * Identifier's depends on whether it carries a care-of address, RFC 5648 §6.2). The GRE Key
 * option has its own lint rule (P-GREKEY-MISALIGNED).
 */
function checkAlignment(p: Packet, node: number, type: number, len: number, rel: number): void {
  let a = OPT_ALIGN[type];
  if (type === OPT.BI) a = len > 4 ? BI_ALIGN_COA : BI_ALIGN_NO_COA;
  if (a !== undefined && rel % a[0] !== a[1]) p.expert(X.optMisaligned, node, OPTION_NAMES[type], rel);
}
const BI_ALIGN_NO_COA = [2, 0] as const;
const BI_ALIGN_COA = [8, 2] as const;

/**
 * Walks the option area [start, optEnd) (already known to be captured). An option whose Length
 * runs past the area ends the walk (Wireshark's "option goes past end of options").
 */
export function walkOptions(p: Packet, start: number, optEnd: number, parent: number): void {
  let o = start;
  while (o < optEnd) {
    const t = p.u8(o);
    if (t === OPT.PAD1) {
      dissectPad1(p, o, parent);
      o++;
      continue;
    }
    if (o + 1 >= optEnd) {
      overrun(p, o, optEnd, parent, t, 'missing');
      return;
    }
    const len = p.u8(o + 1);
    const end = o + 2 + len;
    if (end > optEnd) {
      overrun(p, o, optEnd, parent, t, len);
      return;
    }
    const d = optionTable.get(t);
    optNode = -1;
    if (d) d.dissect(p, o, end, parent);
    else unknownOption(p, o, end, parent, t);
    if (t !== OPT.GRE_KEY) checkAlignment(p, optNode, t, len, o - ctx.mh);
    o = end;
  }
}
