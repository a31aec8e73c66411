/**
 * The IPv6 Mobility Header (RFC 6275 §6.1) with Proxy Mobile IPv6 (RFC 5213), its IPv4 support
 * (RFC 5844) and GRE keys (RFC 5845): protocol "mipv6", fields "mip6.*" as in Wireshark 4.0.
 *
 * How it is reached:
 *  - over IPv6 (and IPv4, as Wireshark binds it): "ip.proto" 135, and the legacy 62 that
 *    tshark 4.0 still binds; the IPv6 layer sets p.netSrc/netDst, used for the checksum's
 *    pseudo-header.
 *  - over UDP (RFC 5844: the MAG removes the IPv6 header and sends the MH in UDP 5436): the
 *    UDP/TLV demultiplexer calls `table('mip6.udp', 1).get(0)` (= mip6OverUdp). That object
 *    differs only in knowing it is over UDP: the MH checksum is then not verified but must be
 *    zero (RFC 5844 §4.1.3.2, §4.2.2.1), and the T-over-IPv6 rule does not apply.
 *
 * The Info column starts like tshark's ("Binding Update", "Binding Acknowledgement"), prefixed
 * "Proxy " when P is set, and then summarises what a PBU/PBA negotiates:
 *   Proxy Binding Update seq=7 lifetime=100 (400s) flags=A,P,T GRE-key=40961 (0x0000a001) MN-ID=mn1@example.com
 *   Proxy Binding Acknowledgement status=0 (accepted) seq=7 lifetime=100 (400s) flags=P,T GRE-key=45058 (0x0000b002)
 * (the key in decimal as mip6.gre_key prints it and in hex as gre.key prints it; "lifetime=0
 * (dereg)" for a de-registration PBU; "GRE(no key)" for a Length-2 option; options appear in
 * wire order, so a message cut short still shows what was read).
 */
import { table, type Dissector } from '../../engine/dispatch.js';
import { fieldByName } from '../../engine/fields.js';
import { GENERATED, type Packet } from '../../engine/packet.js';
import { TextBuf } from '../../engine/textbuf.js';
import { mhChecksum, mhVerifySum } from './checksum.js';
import { ctx } from './context.js';
import { F, X } from './fields.js';
import {
  BA_FLAG, BA_OFF_FLAGS, BA_STATUS, BA_STATUS_REJECT_MIN, BU_FLAG, BU_OFF_FLAGS, IPPROTO_MH, IPPROTO_MH_LEGACY, IPPROTO_NONE,
  MH_FIXED_LEN, MH_LEN_UNIT, MH_OFF_CSUM, MH_OFF_HLEN, MH_OFF_PROTO, MH_OFF_RESERVED, MH_OFF_TYPE, MH_TYPE,
} from './layout.js';
import { messageTable, unknownMessage } from './messages.js';
import { CSUM_STATUS } from './names.js';
import { messageNameInfo } from './info.js';
import { walkOptions } from './options.js';

export { F as MIP6_FIELDS, X as MIP6_EXPERTS } from './fields.js';
export * from './layout.js';

const MIN_MH_LEN: number[] = Array.from({ length: 256 }, (_, t) => {
  const fixed = MH_FIXED_LEN[t];
  return fixed === undefined ? 0 : Math.ceil((6 + fixed) / MH_LEN_UNIT) * MH_LEN_UNIT;
});
const TOO_LONG = 'longer than the rest of the packet';
const TOO_SHORT: string[] = MIN_MH_LEN.map((m) => `below the minimum of ${m} for its message type`);

const hexText = new TextBuf(16);
function hex4(v: number): string {
  return hexText.clear().hex0x(v, 4).toString(); // error path only
}

function verifyChecksum(p: Packet, mh: number, end: number, csumNode: number): void {
  const csum = p.u16(mh + MH_OFF_CSUM);
  const root = ctx.root;
  if (ctx.overUdp) {
    if (csum === 0) p.addGen(F.csum_status, root, CSUM_STATUS.NOT_PRESENT);
    else {
      p.addGen(F.csum_status, root, CSUM_STATUS.ILLEGAL);
      p.expert(X.mhCksumUdp, csumNode, hex4(csum));
    }
    return;
  }
  const mhLen = ctx.mhEnd - mh;
  if (p.netVersion !== 6 || ctx.mhEnd > end || ctx.mhEnd > p.caplen) {
    p.addGen(F.csum_status, root, CSUM_STATUS.UNVERIFIED);
    return;
  }
  const b = p.base;
  const good = mhVerifySum(p.data, b + p.netSrc, b + p.netDst, b + mh, mhLen) === 0xffff;
  const calc = mhChecksum(p.data, b + p.netSrc, b + p.netDst, b + mh, mhLen);
  p.addGen(F.csum_calc, root, calc);
  const st = p.addGen(F.csum_status, root, good ? CSUM_STATUS.GOOD : CSUM_STATUS.BAD);
  if (!good) p.expert(X.mhCksumBad, st, hex4(csum), hex4(calc));
}

/** Packet-scope PBU/PBA rules that need the whole message (lint-rules.md §1). */
function pmipChecks(p: Packet): void {
  if (!ctx.proxy) return;
  const overIpv6 = !ctx.overUdp && p.netVersion === 6;
  const keyNode = ctx.greNode;
  if (ctx.type === MH_TYPE.BU) {
    if (ctx.tFlag && ctx.greCount === 0) p.expert(X.pbuTNoKey, ctx.flagsNode);
    if (ctx.lifetime === 0 && ctx.greCount > 0) p.expert(X.pbuDeregHasKey, keyNode);
    if (ctx.tFlag && overIpv6) p.expert(X.tOverIpv6, ctx.flagsNode, 'PBU');
  } else if (ctx.type === MH_TYPE.BA) {
    const s = ctx.status;
    if (s === BA_STATUS.GRE_KEY_OPTION_NOT_REQUIRED && ctx.greCount > 0) p.expert(X.pbaS2HasKey, keyNode);
    if (s === BA_STATUS.GRE_TUNNELING_BUT_TLV_HEADER_NOT_SUPPORTED) {
      if (ctx.tFlag) p.expert(X.pbaS3TSet, ctx.flagsNode);
      if (ctx.greCount === 0) p.expert(X.pbaS3NoKey, ctx.statusNode);
    }
    if (s >= BA_STATUS_REJECT_MIN && ctx.greWithKey) p.expert(X.pbaRejectHasKey, keyNode, s);
    if (s < BA_STATUS_REJECT_MIN && ctx.tFlag && ctx.greCount === 0) p.expert(X.pbaTNoKey, ctx.flagsNode);
    if (ctx.tFlag && overIpv6) p.expert(X.tOverIpv6, ctx.flagsNode, 'PBA');
  }
}

/**
 * Dissects one Mobility Header at frame offset `mh`; `end` is the carrier's reported end (the
 * IPv6 payload or the UDP payload), so fixed fields may be read past a too-small Header Len as
 * Wireshark does, while the options stop at the MH end.
 */
export function dissectMh(p: Packet, mh: number, end: number, parent: number, overUdp: boolean): void {
  ctx.reset(mh, overUdp);
  p.pushProto(F.mipv6);
  p.cols.proto = 'MIPv6';
  const info = p.cols.info.clear();
  p.need(mh + MH_OFF_HLEN, 1, end);
  const mhLen = (p.u8(mh + MH_OFF_HLEN) + 1) * MH_LEN_UNIT;
  ctx.mhEnd = mh + mhLen;
  const avail = p.avail(mh, end);
  const root = p.add(F.mipv6, mh, mhLen < avail ? mhLen : avail, parent);
  ctx.root = root;

  const pp = p.add(F.proto, mh + MH_OFF_PROTO, 1, root);
  if (p.u8(mh + MH_OFF_PROTO) !== IPPROTO_NONE) p.expert(X.mhPayloadProto, pp, p.u8(mh + MH_OFF_PROTO));
  const hl = p.add(F.hlen, mh + MH_OFF_HLEN, 1, root);
  p.addNum(F.mhlen, mh + MH_OFF_HLEN, 1, root, mhLen, GENERATED);
  if (mhLen > end - mh) p.expert(X.mhHdrLen, hl, mhLen, TOO_LONG);

  p.need(mh + MH_OFF_TYPE, 1, end);
  p.add(F.mhtype, mh + MH_OFF_TYPE, 1, root);
  const type = p.u8(mh + MH_OFF_TYPE);
  ctx.type = type;
  if (mhLen < MIN_MH_LEN[type]! && mhLen <= end - mh) p.expert(X.mhHdrLen, hl, mhLen, TOO_SHORT[type]!);

  p.need(mh + MH_OFF_RESERVED, 1, end);
  const rs = p.add(F.reserved, mh + MH_OFF_RESERVED, 1, root);
  if (p.u8(mh + MH_OFF_RESERVED) !== 0) p.expert(X.mhReserved, rs, p.u8(mh + MH_OFF_RESERVED));

  p.need(mh + MH_OFF_CSUM, 2, end);
  const cs = p.add(F.csum, mh + MH_OFF_CSUM, 2, root);
  verifyChecksum(p, mh, end, cs);

  // Info: tshark's message name, "Proxy " when the P flag is there to be read
  if (p.colsOn) {
    const proxy =
      type === MH_TYPE.BU ? p.has(mh + BU_OFF_FLAGS, 2, end) && (p.u16(mh + BU_OFF_FLAGS) & BU_FLAG.P) !== 0
      : type === MH_TYPE.BA && p.has(mh + BA_OFF_FLAGS, 1, end) && (p.u8(mh + BA_OFF_FLAGS) & BA_FLAG.P) !== 0;
    messageNameInfo(info, type, proxy);
  }

  const msg = messageTable.get(type) ?? unknownMessage;
  msg.dissect(p, mh, end, root);

  // mobility options: Wireshark adds the "Mobility Options" subtree over the whole area first,
  // so an area that is not all there (Header Len too big, or capture cut) ends the MH here
  const optStart = ctx.optStart;
  if (optStart < ctx.mhEnd) {
    if (ctx.mhEnd > end) p.malformed('Mobility Header length exceeds the packet');
    p.need(optStart, ctx.mhEnd - optStart, end);
    const opts = p.addText(optStart, ctx.mhEnd - optStart, root, 'Mobility Options');
    walkOptions(p, optStart, ctx.mhEnd, opts);
  }
  pmipChecks(p);
}

/** Protocol id of "udp" once registered (looked up by name: protocols never import each other). */
let udpProto = -1;
function calledFromUdp(p: Packet): boolean {
  if (udpProto < 0) udpProto = fieldByName('udp')?.id ?? -1;
  return p.nprotos > 0 && p.protos[p.nprotos - 1] === udpProto;
}

/**
 * MH carried by IP (IPv6 next header 135 / 62, or IPv4 protocol 135 / 62). A UDP payload
 * demultiplexer that hands the MH to this entry of "ip.proto" instead of "mip6.udp" is still
 * recognised as over UDP: the protocol just below is then "udp".
 */
export const mip6Dissector: Dissector = {
  proto: F.mipv6,
  name: 'mipv6',
  dissect(p: Packet, off: number, end: number, parent: number): void {
    dissectMh(p, off, end, parent, calledFromUdp(p));
  },
};

/** MH carried directly in UDP (RFC 5844 §4: UDP 5436, no IPv6 header). */
export const mip6OverUdp: Dissector = {
  proto: F.mipv6,
  name: 'mipv6',
  dissect(p: Packet, off: number, end: number, parent: number): void {
    dissectMh(p, off, end, parent, true);
  },
  /** Heuristic for a UDP payload demultiplexer: Payload Proto 59, a known MH type, a Header Len that fits. */
  accepts(p: Packet, off: number, end: number): boolean {
    if (!p.has(off, 6, end)) return false;
    if (p.u8(off + MH_OFF_PROTO) !== IPPROTO_NONE || p.u8(off + MH_OFF_TYPE) > MH_TYPE.LRA) return false;
    return (p.u8(off + MH_OFF_HLEN) + 1) * MH_LEN_UNIT <= end - off;
  },
};

table('ip.proto', 256).add(IPPROTO_MH, mip6Dissector);
table('ip.proto', 256).add(IPPROTO_MH_LEGACY, mip6Dissector);
table('mip6.udp', 1).add(0, mip6OverUdp);
