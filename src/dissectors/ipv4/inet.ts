/**
 * Helpers shared by the link, IP and transport dissectors (Wireshark keeps these in
 * packet_info and in/cksum.c): the Internet checksum over frame bytes, the pseudo-header sum
 * for UDP/TCP/ICMPv6, and two per-frame scratch slots that play the role of Wireshark's
 * tvb "reported length shrinking" and `pinfo->flags.in_error_pkt`.
 *
 * Slot protocol (p.scratch):
 *  - NET_END: a link layer that wants to know where the network datagram ended (to show an
 *    Ethernet trailer / padding) saves the slot, sets it to -1, calls the payload, reads it and
 *    restores the saved value. An IPv4/IPv6 header writes its end (frame offset) only when the
 *    slot is -1, so a tunnelled inner datagram never overwrites the outer one, and an inner
 *    link layer (Ethernet over GRE) saves and restores around its own payload.
 *  - IN_ERROR: non-zero while ICMP/ICMPv6 dissects the datagram quoted in an error message
 *    (inner headers then leave the summary columns alone and skip length/checksum checks as
 *    Wireshark does).
 *  - FRAGMENTED: non-zero while the payload of a first fragment is dissected (pinfo->fragmented):
 *    transport layers then neither complain about lengths nor verify checksums.
 *  - ADDR_COLS: how many network headers have put their addresses in the Source/Destination
 *    columns. Link and IP layers write their addresses after their payload, and only when no
 *    deeper layer did (the result Wireshark shows, without formatting the outer addresses of
 *    every tunnelled frame only to overwrite them).
 *  - ROUTE_DST: frame offset of the final destination named by the current IPv6 header's
 *    routing header (-1: none). HOA_SRC: likewise the Home Address destination option
 *    (RFC 6275 §6.3), which replaces the source in the pseudo-header and the Source column.
 *  - UDP_LEN, UDP_SPORT, UDP_DPORT: the innermost UDP header's Length field and ports + 1
 *    (0: no UDP header), set by UDP right before it hands its payload on, for payload
 *    dissectors that need them (the PMIPv6 demultiplexer) without reading the tree back.
 *  - TCP_SPORT, TCP_DPORT: likewise the innermost TCP header's ports + 1 (0: no TCP header),
 *    set by TCP right before it hands its payload on (Wireshark's pinfo->srcport/destport as
 *    a payload dissector registered on "tcp.port" sees them, e.g. Echo's request/response).
 * (Slot 13 is IPv6's: the end of the innermost fixed header, see ipv6/index.ts.)
 * Packet.reset() zeroes every slot at the start of a frame.
 */
import type { Dissector, DispatchTable } from '../../engine/dispatch.js';
import { MALFORMED, TRUNCATED, type Packet } from '../../engine/packet.js';
import { finish, onesSum } from '../../engine/checksum.js';
import { bytesKey, captured, keyedLine, type LabelWriter } from '../../engine/label.js';
import type { TextBuf } from '../../engine/textbuf.js';

export const SLOT_NET_END = 15;
export const SLOT_IN_ERROR = 14;
export const SLOT_FRAGMENTED = 12;
export const SLOT_ADDR_COLS = 11;
export const SLOT_ROUTE_DST = 10;
export const SLOT_HOA_SRC = 9;
export const SLOT_UDP_LEN = 8;
export const SLOT_UDP_SPORT = 7;
export const SLOT_UDP_DPORT = 6;
export const SLOT_TCP_SPORT = 5;
export const SLOT_TCP_DPORT = 4;

/** Resets the slots at the start of a frame (called by top-level link dissectors). */
export function resetInetSlots(p: Packet): void {
  p.scratch[SLOT_NET_END] = -1;
  p.scratch[SLOT_IN_ERROR] = 0;
  p.scratch[SLOT_FRAGMENTED] = 0;
  p.scratch[SLOT_ADDR_COLS] = 0;
  p.scratch[SLOT_ROUTE_DST] = -1;
  p.scratch[SLOT_HOA_SRC] = -1;
}

export function fragmented(p: Packet): boolean {
  return p.scratch[SLOT_FRAGMENTED] !== 0;
}

/** Appends " → " (U+2192, as UTF-8 bytes: no string allocation) to a column. */
export function arrow(buf: import('../../engine/textbuf.js').TextBuf): void {
  buf.lit(ARROW);
}
const ARROW = new Uint8Array([32, 0xe2, 0x86, 0x92, 32]);

/** Records where the network datagram ends, if a link layer is waiting for it. */
export function reportNetEnd(p: Packet, end: number): void {
  if (p.scratch[SLOT_NET_END] === -1) p.scratch[SLOT_NET_END] = end;
}

export function inErrorPacket(p: Packet): boolean {
  return p.scratch[SLOT_IN_ERROR] !== 0;
}

/** One's-complement sum (not folded, not inverted) of frame bytes [off, off+len), added to acc. */
export function sumBytes(p: Packet, off: number, len: number, acc: number): number {
  const i = p.base + off;
  return onesSum(p.data, i, i + len, acc);
}
/** Folds a running sum to 16 bits and inverts it: the checksum value (the engine's `finish`). */
export const foldSum = finish;

/**
 * Pseudo-header sum (RFC 768 / RFC 793 for IPv4, RFC 8200 §8.1 for IPv6) from the innermost
 * IP header's addresses (p.netSrc/netDst, set by IPv4/IPv6). Returns -1 when no IP header set them.
 */
export function pseudoSum(p: Packet, proto: number, len: number): number {
  if (p.netVersion === 4) {
    let s = sumBytes(p, p.netSrc, 4, 0);
    s = sumBytes(p, p.netDst, 4, s);
    return s + proto + len;
  }
  if (p.netVersion === 6) {
    // adjacent addresses (no routing header or home address option moved them): one range
    const s = p.netDst === p.netSrc + 16 ? sumBytes(p, p.netSrc, 32, 0) : sumBytes(p, p.netDst, 16, sumBytes(p, p.netSrc, 16, 0));
    return s + Math.floor(len / 65536) + (len & 0xffff) + proto;
  }
  return -1;
}

/**
 * The dissector UDP and TCP hand a payload to, by port: the lower port's first, then the
 * higher's (port 0 never), passing over one whose `accepts` refuses [off, end) of `p`; null when
 * neither port has one (the payload is data). Without a packet (`p` null: the summary fast path
 * asks before anything is dissected) a dissector with `accepts` gives undefined: undecided.
 */
export function portDissector(tbl: DispatchTable, sport: number, dport: number, p: Packet | null, off: number, end: number): Dissector | null | undefined {
  const lo = sport < dport ? sport : dport;
  const hi = sport < dport ? dport : sport;
  for (let i = 0; i < 2; i++) {
    const port = i === 0 ? lo : hi;
    if (port === 0) continue;
    const d = tbl.get(port);
    if (d === undefined) continue;
    if (d.accepts === undefined) return d;
    if (p === null) return undefined;
    if (d.accepts(p, off, end)) return d;
  }
  return null;
}

/** Wireshark's proto_checksum_vals (the *.checksum.status fields). */
export const CHECKSUM_STATUS: Readonly<Record<number, string>> = {
  0: 'Bad',
  1: 'Good',
  2: 'Unverified',
  3: 'Not present',
  4: 'Illegal',
};
export const CK_BAD = 0;
export const CK_GOOD = 1;
export const CK_UNVERIFIED = 2;
export const CK_NOT_PRESENT = 3;
export const CK_ILLEGAL = 4;

/**
 * Dissects the datagram quoted by an ICMP(v6) error "in an error packet": column writes off,
 * and the quotation may end anywhere (Wireshark catches the bounds errors there).
 * `mark` is 4 for ICMP, 6 for ICMPv6. When nothing is quoted, `requireSome` makes the inner
 * dissector run anyway (it then reports the packet malformed, as tshark does).
 */
export function dissectQuoted(p: Packet, d: Dissector | undefined, off: number, end: number, parent: number, mark: number, requireSome: boolean): void {
  if (d === undefined) return;
  if (end - off <= 0 && !requireSome) return;
  const saved = p.scratch[SLOT_IN_ERROR]!;
  p.scratch[SLOT_IN_ERROR] = mark;
  if (end - off <= 0) {
    p.call(d, off, end, parent);
  } else {
    const layer = p.layer;
    p.layer = p.enterLayer(d.proto);
    try {
      d.dissect(p, off, end, parent);
    } catch (e) {
      if (e === MALFORMED) MALFORMED.reason = '';
      else if (e !== TRUNCATED) {
        p.layer = layer;
        p.caught(e, d, parent);
      }
    }
    p.layer = layer;
  }
  p.scratch[SLOT_IN_ERROR] = saved;
}

/**
 * Bounds check for header reads: outside error packets p.need's exceptions apply; inside one
 * (a quotation may end anywhere) it returns false so the caller stops quietly, as Wireshark's
 * ICMP catches the bounds errors of the quoted datagram.
 */
export function req(p: Packet, o: number, n: number, end: number, inErr: boolean): boolean {
  if (inErr) return p.has(o, n, end);
  p.need(o, n, end);
  return true;
}

/**
 * The label of an IP header item: "NAME, Src: a, Dst: b" from the addresses at offsets `src` and
 * `dst` of the header (`header` octets must be captured, else just the name). IPv4 and IPv6.
 */
export function addressLabel(name: string, header: number, src: number, dst: number, v6: boolean): LabelWriter {
  const addr = (out: TextBuf, d: Uint8Array, o: number): TextBuf => (v6 ? out.ipv6(d, o) : out.ipv4(d, o));
  const n = v6 ? 16 : 4;
  const write = (p: Packet, node: number, out: TextBuf): void => {
    const off = p.tree.off[node]!;
    out.str(name);
    if (!captured(p, off, header)) return;
    const o = p.base + off;
    addr(out.str(', Src: '), p.data, o + src);
    addr(out.str(', Dst: '), p.data, o + dst);
  };
  // the line is the two addresses (or the name alone when the header is cut short)
  const from = Math.min(src, dst);
  return keyedLine(write, bytesKey(from, Math.max(src, dst) + n - from, header));
}
