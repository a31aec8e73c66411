/**
 * Message-specific data of each MH type (RFC 6275 §6.1.2–§6.1.9, RFC 5213 §8.1–§8.2,
 * RFC 5845 §6.2–§6.3, RFC 6602 §4, RFC 5568, RFC 5847, RFC 5846, RFC 6705), one Dissector per
 * type in the "mip6.mhtype" table. A message dissector gets [mh, end) (end = the carrier's
 * reported end, as Wireshark's tvb), adds its fields under the MH node, appends to the Info
 * column, and sets ctx.optStart to where its mobility options begin.
 *
 * As in Wireshark, each fixed part is a subtree whose whole extent must be present (a short
 * message throws before its first field).
 */
import { table, type Dissector } from '../../engine/dispatch.js';
import { GENERATED, type Packet } from '../../engine/packet.js';
import { ctx } from './context.js';
import { F, X } from './fields.js';
import {
  BA_FLAG, BA_OFF_FLAGS, BA_OFF_LIFETIME, BA_OFF_OPTIONS, BA_OFF_SEQ, BA_OFF_STATUS, BU_FLAG, BU_OFF_FLAGS, BU_OFF_LIFETIME,
  BU_OFF_OPTIONS, BU_OFF_SEQ, LIFETIME_UNIT_S, MH_OFF_DATA, MH_TYPE,
} from './layout.js';
import { bindingAckInfo, bindingUpdateInfo } from './info.js';

export const messageTable = table('mip6.mhtype', 256);

function item(p: Packet, fid: number, o: number, n: number, end: number, parent: number): number {
  p.need(o, n, end);
  return p.add(fid, o, n, parent);
}

/** The fixed-part subtree: Wireshark creates it first, so a short message throws here. */
function sub(p: Packet, o: number, n: number, end: number, parent: number, label: string): number {
  p.need(o, n, end);
  return p.addText(o, n, parent, label);
}

function reg(type: number, name: string, dissect: (p: Packet, mh: number, end: number, root: number) => void): void {
  const d: Dissector = { proto: F.mipv6, name, dissect };
  messageTable.add(type, d);
}

// ------------------------------------------------------------------ 5 (Proxy) Binding Update
reg(MH_TYPE.BU, 'mip6.bu', (p, mh, end, root) => {
  const s = sub(p, mh + MH_OFF_DATA, 6, end, root, 'Binding Update');
  item(p, F.bu_seqnr, mh + BU_OFF_SEQ, 2, end, s);
  const fo = mh + BU_OFF_FLAGS;
  p.need(fo, 2, end);
  p.add(F.bu_a, fo, 2, s);
  p.add(F.bu_h, fo, 2, s);
  p.add(F.bu_l, fo, 2, s);
  p.add(F.bu_k, fo, 2, s);
  p.add(F.bu_m, fo, 2, s);
  p.add(F.bu_r, fo, 2, s);
  p.add(F.bu_p, fo, 2, s);
  p.add(F.bu_f, fo, 2, s);
  const t = p.add(F.bu_t, fo, 2, s);
  const b = p.add(F.bu_b, fo, 2, s);
  const r = p.add(F.bu_reserved, fo, 2, s);
  const lt = item(p, F.bu_lifetime, mh + BU_OFF_LIFETIME, 2, end, s);
  const flags = p.u16(fo);
  const lifetime = p.u16(mh + BU_OFF_LIFETIME);
  p.addNum(F.bu_lifetime_s, mh + BU_OFF_LIFETIME, 2, s, lifetime * LIFETIME_UNIT_S, GENERATED);
  ctx.flags = flags;
  ctx.proxy = (flags & BU_FLAG.P) !== 0;
  ctx.tFlag = (flags & BU_FLAG.T) !== 0;
  ctx.bFlag = (flags & BU_FLAG.B) !== 0;
  ctx.lifetime = lifetime;
  ctx.flagsNode = t;
  ctx.lifetimeNode = lt;
  if (flags & BU_FLAG.RESERVED) p.expert(X.buReservedFlags, r, flags & BU_FLAG.RESERVED);
  if (ctx.bFlag && !ctx.proxy) p.expert(X.bWithoutP, b, 'Binding Update');
  if (flags & BU_FLAG.R) p.cols.proto = 'NEMO';
  if (p.colsOn) bindingUpdateInfo(p.cols.info, p.u16(mh + BU_OFF_SEQ), flags, lifetime);
  ctx.optStart = mh + BU_OFF_OPTIONS;
});

// ------------------------------------------------------------------ 6 (Proxy) Binding Acknowledgement
reg(MH_TYPE.BA, 'mip6.ba', (p, mh, end, root) => {
  const s = sub(p, mh + MH_OFF_DATA, 6, end, root, 'Binding Acknowledgement');
  const st = item(p, F.ba_status, mh + BA_OFF_STATUS, 1, end, s);
  const fo = mh + BA_OFF_FLAGS;
  p.need(fo, 1, end);
  p.add(F.ba_k, fo, 1, s);
  p.add(F.ba_r, fo, 1, s);
  p.add(F.ba_p, fo, 1, s);
  const t = p.add(F.ba_t, fo, 1, s);
  const b = p.add(F.ba_b, fo, 1, s);
  const r = p.add(F.ba_reserved, fo, 1, s);
  item(p, F.ba_seqnr, mh + BA_OFF_SEQ, 2, end, s);
  const lt = item(p, F.ba_lifetime, mh + BA_OFF_LIFETIME, 2, end, s);
  const status = p.u8(mh + BA_OFF_STATUS);
  const flags = p.u8(fo);
  const lifetime = p.u16(mh + BA_OFF_LIFETIME);
  p.addNum(F.ba_lifetime_s, mh + BA_OFF_LIFETIME, 2, s, lifetime * LIFETIME_UNIT_S, GENERATED);
  ctx.status = status;
  ctx.flags = flags;
  ctx.proxy = (flags & BA_FLAG.P) !== 0;
  ctx.tFlag = (flags & BA_FLAG.T) !== 0;
  ctx.bFlag = (flags & BA_FLAG.B) !== 0;
  ctx.lifetime = lifetime;
  ctx.statusNode = st;
  ctx.flagsNode = t;
  ctx.lifetimeNode = lt;
  if (flags & BA_FLAG.RESERVED) p.expert(X.baReservedFlags, r, flags & BA_FLAG.RESERVED);
  if (ctx.bFlag && !ctx.proxy) p.expert(X.bWithoutP, b, 'Binding Acknowledgement');
  if (flags & BA_FLAG.R) p.cols.proto = 'NEMO';
  if (p.colsOn) bindingAckInfo(p.cols.info, status, p.u16(mh + BA_OFF_SEQ), flags, lifetime);
  ctx.optStart = mh + BA_OFF_OPTIONS;
});

// ------------------------------------------------------------------ RFC 6275 return routability and errors
reg(MH_TYPE.BRR, 'mip6.brr', (p, mh, end, root) => {
  item(p, F.brr, mh + 6, 2, end, root);
  ctx.optStart = mh + 8;
});
reg(MH_TYPE.HOTI, 'mip6.hoti', (p, mh, end, root) => {
  const s = sub(p, mh + 6, 10, end, root, 'Home Test Init');
  item(p, F.hoti_cookie, mh + 8, 8, end, s);
  ctx.optStart = mh + 16;
});
reg(MH_TYPE.COTI, 'mip6.coti', (p, mh, end, root) => {
  const s = sub(p, mh + 6, 10, end, root, 'Care-of Test Init');
  item(p, F.coti_cookie, mh + 8, 8, end, s);
  ctx.optStart = mh + 16;
});
reg(MH_TYPE.HOT, 'mip6.hot', (p, mh, end, root) => {
  const s = sub(p, mh + 6, 18, end, root, 'Home Test');
  item(p, F.hot_nindex, mh + 6, 2, end, s);
  item(p, F.hot_cookie, mh + 8, 8, end, s);
  item(p, F.hot_token, mh + 16, 8, end, s);
  ctx.optStart = mh + 24;
});
reg(MH_TYPE.COT, 'mip6.cot', (p, mh, end, root) => {
  const s = sub(p, mh + 6, 18, end, root, 'Care-of Test');
  item(p, F.cot_nindex, mh + 6, 2, end, s);
  item(p, F.cot_cookie, mh + 8, 8, end, s);
  // Wireshark shows the care-of keygen token with the Home Keygen Token field
  item(p, F.hot_token, mh + 16, 8, end, s);
  ctx.optStart = mh + 24;
});
reg(MH_TYPE.BE, 'mip6.be', (p, mh, end, root) => {
  const s = sub(p, mh + 6, 18, end, root, 'Binding Error');
  item(p, F.be_status, mh + 6, 1, end, s);
  item(p, F.be_haddr, mh + 8, 16, end, s);
  ctx.optStart = mh + 24;
});

// ------------------------------------------------------------------ FMIPv6 (RFC 5568)
reg(MH_TYPE.FBU, 'mip6.fbu', (p, mh, end, root) => {
  const s = sub(p, mh + 6, 6, end, root, 'Fast Binding Update');
  item(p, F.fbu_seqnr, mh + 6, 2, end, s);
  item(p, F.fbu_a, mh + 8, 1, end, s);
  item(p, F.fbu_h, mh + 8, 1, end, s);
  item(p, F.fbu_l, mh + 8, 1, end, s);
  item(p, F.fbu_k, mh + 8, 1, end, s);
  item(p, F.fbu_lifetime, mh + 10, 2, end, s);
  ctx.optStart = mh + 12;
});
reg(MH_TYPE.FBACK, 'mip6.fback', (p, mh, end, root) => {
  const s = sub(p, mh + 6, 6, end, root, 'Fast Binding Acknowledgement');
  item(p, F.fback_status, mh + 6, 1, end, s);
  item(p, F.fback_k, mh + 7, 1, end, s);
  item(p, F.fback_seqnr, mh + 8, 2, end, s);
  item(p, F.fback_lifetime, mh + 10, 2, end, s);
  ctx.optStart = mh + 12;
});
reg(MH_TYPE.FNA, 'mip6.fna', (p, mh, end, root) => {
  item(p, F.fna, mh + 6, 2, end, root);
  ctx.optStart = mh + 8;
});
reg(MH_TYPE.HI, 'mip6.hi', (p, mh, end, root) => {
  const s = sub(p, mh + 6, 4, end, root, 'Handover Initiate');
  item(p, F.hi_seqnr, mh + 6, 2, end, s);
  item(p, F.hi_s, mh + 8, 1, end, s);
  item(p, F.hi_u, mh + 8, 1, end, s);
  item(p, F.hi_code, mh + 9, 1, end, s);
  ctx.optStart = mh + 10;
});
reg(MH_TYPE.HACK, 'mip6.hack', (p, mh, end, root) => {
  const s = sub(p, mh + 6, 4, end, root, 'Handover Acknowledge');
  item(p, F.hack_seqnr, mh + 6, 2, end, s);
  item(p, F.hack_code, mh + 9, 1, end, s);
  ctx.optStart = mh + 10;
});

// ------------------------------------------------------------------ RFC 5096, 5142, 5847, 5846, 6705
reg(MH_TYPE.EXP, 'mip6.emh', (p, mh, end, root) => {
  const len = ctx.mhEnd - mh;
  if (len > 8) item(p, F.em_data, mh + 6, len - 6, end, root);
  ctx.optStart = ctx.mhEnd; // the message data has no options
});
reg(MH_TYPE.HAS, 'mip6.has', (p, mh, end, root) => {
  p.need(mh + 6, 1, end);
  const n = p.u8(mh + 6);
  const len = 2 + n * 16;
  const s = sub(p, mh + 6, len, end, root, 'Home Agent Switch');
  item(p, F.has_num, mh + 6, 1, end, s);
  item(p, F.has_reserved, mh + 7, 1, end, s);
  for (let i = 0, o = mh + 8; i < n; i++, o += 16) item(p, F.has_addr, o, 16, end, s);
  // options follow the addresses (Wireshark 4.0 starts them at MH + 2 + 16n: a bug)
  ctx.optStart = mh + 6 + len;
});
reg(MH_TYPE.HB, 'mip6.hb', (p, mh, end, root) => {
  const s = sub(p, mh + 6, 6, end, root, 'Heartbeat');
  item(p, F.hb_u, mh + 7, 1, end, s);
  item(p, F.hb_r, mh + 7, 1, end, s);
  item(p, F.hb_seqnr, mh + 8, 4, end, s);
  ctx.optStart = mh + 12;
});
reg(MH_TYPE.BR, 'mip6.br', (p, mh, end, root) => {
  p.need(mh + 6, 1, end);
  const type = p.u8(mh + 6);
  if (type === 1) {
    if (p.colsOn) p.cols.info.str(' Indication');
    const s = sub(p, mh + 6, 6, end, root, 'Binding Revocation Indication');
    item(p, F.bri_type, mh + 6, 1, end, s);
    item(p, F.bri_trigger, mh + 7, 1, end, s);
    item(p, F.bri_seqnr, mh + 8, 2, end, s);
    item(p, F.bri_ip, mh + 10, 2, end, s);
    item(p, F.bri_iv, mh + 10, 2, end, s);
    item(p, F.bri_ig, mh + 10, 2, end, s);
    item(p, F.bri_res, mh + 10, 2, end, s);
  } else if (type === 2) {
    if (p.colsOn) p.cols.info.str(' Acknowledge');
    const s = sub(p, mh + 6, 6, end, root, 'Binding Revocation Acknowledge');
    item(p, F.bri_type, mh + 6, 1, end, s);
    item(p, F.bri_status, mh + 7, 1, end, s);
    item(p, F.bri_seqnr, mh + 8, 2, end, s);
    item(p, F.bri_ap, mh + 10, 2, end, s);
    item(p, F.bri_av, mh + 10, 2, end, s);
    item(p, F.bri_ag, mh + 10, 2, end, s);
    item(p, F.bri_res, mh + 10, 2, end, s);
  }
  ctx.optStart = mh + 12;
});
// LRI/LRA (RFC 6705 §10): Wireshark 4.0 reads these from MH+0 (a bug); gretool from MH+6.
reg(MH_TYPE.LRI, 'mip6.lri', (p, mh, end, root) => {
  item(p, F.lri_seq, mh + 6, 2, end, root);
  item(p, F.lri_reserved, mh + 8, 2, end, root);
  item(p, F.lri_lifetime, mh + 10, 2, end, root);
  ctx.optStart = mh + 12;
});
reg(MH_TYPE.LRA, 'mip6.lra', (p, mh, end, root) => {
  item(p, F.lra_seq, mh + 6, 2, end, root);
  item(p, F.lra_u, mh + 8, 1, end, root);
  item(p, F.lra_reserved, mh + 8, 1, end, root);
  item(p, F.lra_status, mh + 9, 1, end, root);
  item(p, F.lra_lifetime, mh + 10, 2, end, root);
  ctx.optStart = mh + 12;
});

/** Any other MH type: its message data as bytes, no options (Wireshark's dissect_mip6_unknown). */
export const unknownMessage: Dissector = {
  proto: F.mipv6,
  name: 'mip6.unknown',
  dissect(p: Packet, mh: number, end: number, root: number): void {
    const len = ctx.mhEnd - mh;
    item(p, F.unknown_data, mh + 6, len - 6, end, root);
    ctx.optStart = ctx.mhEnd;
  },
};
