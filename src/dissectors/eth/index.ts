/**
 * Ethernet II / IEEE 802.3 (link type 1), as Wireshark 4.0's packet-eth.c shows it: addresses
 * with their hidden eth.addr / OUI / LG / IG companions, the Ethertype dispatched through the
 * "ethertype" pseudo-protocol, then padding, trailer and (guessed) FCS.
 */
import { table, type Dissector } from '../../engine/dispatch.js';
import { FieldGroup, GENERATED, HIDDEN, type Packet } from '../../engine/packet.js';
import { TextBuf } from '../../engine/textbuf.js';
import { resetInetSlots } from '../ipv4/inet.js';
import { addTrailer, dissectEthertype } from './ethertype.js';
import { E, F } from './fields.js';

export { F as ETH_FIELDS, E as ETH_EXPERTS } from './fields.js';
export { dissectEthertype, addTrailer } from './ethertype.js';
export { ETHERTYPE_NAMES } from './etypes.js';

export const ETH_HEADER_SIZE = 14;
export const ETHERTYPE_IPV4 = 0x0800;
export const ETHERTYPE_IPV6 = 0x86dd;
export const ETHERTYPE_VLAN = 0x8100;
export const ETHERTYPE_QINQ = 0x88a8;
export const ETHERTYPE_QINQ_OLD = 0x9100;
export const ETHERTYPE_TEB = 0x6558;
export const LINKTYPE_ETHERNET = 1;

const DATA = table('data', 1);

const ETHERNET_II = TextBuf.encode('Ethernet II');
const DST_FIELDS = new FieldGroup([F.dst, F.dst_resolved, F.dst_oui, F.addr, F.addr_resolved, F.addr_oui, F.dst_lg, F.lg, F.dst_ig, F.ig]);
const SRC_FIELDS = new FieldGroup([F.src, F.src_resolved, F.src_oui, F.addr, F.addr_resolved, F.addr_oui, F.src_lg, F.lg, F.src_ig, F.ig]);

/**
 * Adds one address (dst at 0, src at 6) and, in its subtree, its companions in Wireshark's order
 * (the "Address" item shown, the resolved names and OUIs hidden); returns the address node.
 */
function address(p: Packet, off: number, root: number, isDst: boolean): number {
  if (!(isDst ? DST_FIELDS : SRC_FIELDS).wanted(p)) return -1;
  const n = p.add(isDst ? F.dst : F.src, off, 6, root);
  p.add(isDst ? F.dst_resolved : F.src_resolved, off, 6, n, HIDDEN | GENERATED);
  p.add(isDst ? F.dst_oui : F.src_oui, off, 3, n, HIDDEN | GENERATED);
  p.add(F.addr, off, 6, n);
  p.add(F.addr_resolved, off, 6, n, HIDDEN | GENERATED);
  p.add(F.addr_oui, off, 3, n, HIDDEN | GENERATED);
  p.add(isDst ? F.dst_lg : F.src_lg, off, 3, n);
  p.add(F.lg, off, 3, n, HIDDEN);
  p.add(isDst ? F.dst_ig : F.src_ig, off, 3, n);
  p.add(F.ig, off, 3, n, HIDDEN);
  return n;
}

/** Ethernet starting at `off` and ending at `end`; fcsLen as in dissectEthertype. */
export function dissectEth(p: Packet, off: number, end: number, parent: number, fcsLen: number): void {
  p.pushProto(F.eth);
  const c = p.cols;
  const cols = p.colsOn;
  if (cols) c.proto = 'Ethernet';
  if (!p.has(off, ETH_HEADER_SIZE, end)) {
    if (cols && p.has(off, 6, end)) c.dst.clear().mac(p.data, p.base + off);
    if (cols && p.has(off, 12, end)) c.src.clear().mac(p.data, p.base + off + 6);
    p.need(off, ETH_HEADER_SIZE, end);
  }
  const type = p.u16(off + 12);
  // every field below is an eth.* field: skip them all when none is wanted
  const tree = p.wantsFields(F.eth);
  const root = p.add(F.eth, off, ETH_HEADER_SIZE, parent);
  if (cols && type < 1536 && type !== 0) {
    // not Ethernet II: the addresses go to the columns now (no network layer follows)
    c.dst.clear().mac(p.data, p.base + off);
    c.src.clear().mac(p.data, p.base + off + 6);
  }
  if (type > 1500 && type < 1536) {
    if (cols) c.info.clear().str('Ethernet Unknown: Invalid length/type: ').hex0x(type, 4).str(' (').dec(type).str(')');
    let n = -1;
    if (tree) {
      address(p, off, root, true);
      address(p, off + 6, root, false);
      n = p.add(F.invalid_lentype, off + 12, 2, root);
    }
    p.expert(E.invalid_lentype, n, '0x' + type.toString(16).padStart(4, '0') + ' (' + type + ')');
    const data = DATA.get(0);
    if (data) p.call(data, off + 14, end, parent);
    return;
  }
  if (type <= 1500 && type !== 0) {
    // IEEE 802.3 with a length field; LLC/SNAP is not dissected by gretool: show data, then
    // what follows the length as padding / trailer (Wireshark's dissect_802_3).
    // (Type 0 is Wireshark's ETHERTYPE_UNK and goes on as Ethernet II.)
    if (cols) c.info.clear().str('IEEE 802.3 Ethernet ');
    let ln = -1;
    if (tree) {
      address(p, off, root, true);
      address(p, off + 6, root, false);
      ln = p.add(F.len, off + 12, 2, root);
    }
    let pend = off + ETH_HEADER_SIZE + type;
    if (pend > end) {
      p.expert(E.len_past_end, ln);
      pend = end;
    }
    const data = DATA.get(0);
    if (data) p.call(data, off + 14, pend, parent);
    if (pend < end && pend < p.caplen) addTrailer(p, root, F.trailer, off, end, pend, fcsLen);
    return;
  }
  if (cols) c.info.clear().lit(ETHERNET_II);
  let srcNode = -1;
  if (tree) {
    address(p, off, root, true);
    srcNode = address(p, off + 6, root, false);
    p.add(F.type, off + 12, 2, root);
  }
  if (p.u8(off + 6) & 1) p.expert(E.src_not_group, srcNode);
  dissectEthertype(p, type, off + ETH_HEADER_SIZE, end, parent, off, root, F.trailer, fcsLen, off);
}

/** The capture's Ethernet (FCS unknown: Wireshark guesses from the frame and trailer length). */
export const ethDissector: Dissector = {
  proto: F.eth,
  name: 'eth',
  dissect(p: Packet, off: number, end: number, parent: number): void {
    resetInetSlots(p);
    dissectEth(p, off, end, parent, -1);
  },
};

/** Ethernet carried inside another protocol (GRE transparent bridging): never an FCS. */
export const ethWithoutFcsDissector: Dissector = {
  proto: F.eth,
  name: 'eth',
  dissect(p: Packet, off: number, end: number, parent: number): void {
    dissectEth(p, off, end, parent, 0);
  },
};

table('link.type').add(LINKTYPE_ETHERNET, ethDissector);
table('gre.proto').add(ETHERTYPE_TEB, ethWithoutFcsDissector);
