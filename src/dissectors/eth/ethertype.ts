/**
 * The "ethertype" pseudo-protocol (Wireshark's packet-ethertype.c): dispatches a payload by
 * Ethertype through the "ethertype" table, falls back to data, and afterwards shows what the
 * payload left over as padding / trailer / FCS (add_ethernet_trailer in packet-eth.c). Used by
 * Ethernet, 802.1Q/802.1ad tags and Linux cooked captures, each passing its own trailer field.
 */
import { table } from '../../engine/dispatch.js';
import { GENERATED, type Packet } from '../../engine/packet.js';
import { SLOT_ADDR_COLS, SLOT_NET_END } from '../ipv4/inet.js';
import { ETHERTYPE_NAMES } from './etypes.js';
import { E, F } from './fields.js';

export { ETHERTYPE_NAMES } from './etypes.js';

const ETHERTYPE = table('ethertype');
const DATA = table('data', 1);

/** Protocol-column text of an Ethertype nobody dissects ("0x88b5"), cached per value. */
const hexNames = new Map<number, string>();
function hexName(t: number): string {
  let s = hexNames.get(t);
  if (s === undefined) {
    s = '0x' + t.toString(16).padStart(4, '0');
    hexNames.set(t, s);
  }
  return s;
}

/**
 * Dissects the payload [off, end) of type `etype`, then the trailer. `tvbStart` is where the
 * enclosing link header began (for the "frame of 64 octets or more carries an FCS" rule),
 * `owner` is the tree node that receives padding/trailer/FCS, `trailerFid` the trailer field
 * (eth.trailer, vlan.trailer, sll.trailer...), `fcsLen` 0 (none), 4 (present) or -1 (guess).
 * `macAt` (Ethernet only, else -1) is the frame offset of the destination and source MAC
 * addresses, shown in the address columns unless a network layer below put its own there.
 */
export function dissectEthertype(
  p: Packet, etype: number, off: number, end: number, parent: number,
  tvbStart: number, owner: number, trailerFid: number, fcsLen: number, macAt = -1,
): void {
  p.pushProto(F.ethertype);
  const cols = p.scratch[SLOT_ADDR_COLS]!;
  const saved = p.scratch[SLOT_NET_END]!;
  p.scratch[SLOT_NET_END] = -1;
  const d = ETHERTYPE.get(etype);
  if (d !== undefined && (d.accepts === undefined || d.accepts(p, off, end))) {
    p.call(d, off, end, parent);
  } else {
    const data = DATA.get(0);
    if (data) p.call(data, off, end, parent);
    if (p.colsOn) {
      p.cols.proto = hexName(etype);
      const name = ETHERTYPE_NAMES[etype];
      if (name !== undefined) p.cols.info.clear().str(name);
    }
  }
  if (macAt >= 0 && p.colsOn && p.scratch[SLOT_ADDR_COLS] === cols) {
    p.cols.dst.clear().mac(p.data, p.base + macAt);
    p.cols.src.clear().mac(p.data, p.base + macAt + 6);
  }
  const netEnd = p.scratch[SLOT_NET_END]!;
  p.scratch[SLOT_NET_END] = saved;
  if (netEnd >= off && netEnd < end && netEnd < p.caplen) addTrailer(p, owner, trailerFid, tvbStart, end, netEnd, fcsLen);
}

/** Wireshark's add_ethernet_trailer with the default preferences (padding of zeros, no FCS check). */
export function addTrailer(p: Packet, owner: number, trailerFid: number, tvbStart: number, end: number, tStart: number, fcsLen: number): void {
  let tLen = (end < p.caplen ? end : p.caplen) - tStart; // captured
  let tRep = end - tStart; // reported
  let padding = 0;
  const pktLen = p.origlen;
  const maybePadded = pktLen >= 60 && pktLen - tRep < 60;
  if (maybePadded) {
    padding = 60 - (pktLen - tRep);
    for (let i = 0; i < padding; i++) {
      p.need(tStart + i, 1, end);
      if (p.u8(tStart + i) !== 0) {
        padding = 0;
        break;
      }
    }
    if (padding > 0) {
      p.add(F.padding, tStart, padding, owner);
      tLen -= padding;
      tRep -= padding;
    }
  }
  let hasFcs = false;
  if (fcsLen !== 0 && (fcsLen === 4 || (end - tvbStart >= 64 && tRep >= 4))) {
    if (tLen < tRep) {
      tRep -= 4;
      if (tLen > tRep) tLen = tRep;
    } else {
      tLen -= 4;
      tRep -= 4;
    }
    hasFcs = true;
  }
  const realRep = fcsLen === 4 ? tRep : end - tStart - padding;
  if (realRep !== 0 && tLen > 0) {
    const n = p.add(trailerFid, tStart + padding, tLen, owner);
    if (maybePadded && padding === 0) p.expert(E.padding_bad, n);
  }
  if (hasFcs) {
    const at = tStart + padding + (tLen > 0 ? tLen : 0);
    p.need(at, 4, end);
    p.add(F.fcs, at, 4, owner);
    p.addNum(F.fcs_status, at, 0, owner, 2, GENERATED);
  }
}
