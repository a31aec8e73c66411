/**
 * GRE: RFC 2784 + RFC 2890 (Key, Sequence Number) + the RFC 1701 legacy bits (Routing/SRE
 * list, strict source route, recursion control) + RFC 2637 enhanced GRE (version 1, PPTP),
 * with Wireshark 4.0's field names, types, bases and masks (`tshark -G fields`, packet-gre.c).
 *
 * Registered on `ip.proto` 47. The payload goes through the `gre.proto` table (keyed by
 * EtherType); IPv4/IPv6 are found in the `ethertype` table at dissect time when nobody
 * registered them in `gre.proto` (protocols never import each other). Unknown → data.
 *
 * tshark behaviour mirrored (checked against tshark 4.0.17):
 * - Protocol column "GRE", Info "Encapsulated <gre.proto name>" ("0x%04X (unknown)"), replaced
 *   by the inner protocols' columns when the payload is dissected.
 * - The Checksum + Offset words are present when C or R is set; the checksum is verified over
 *   the whole GRE header + payload only when C is set and the layer is fully captured
 *   (gre.checksum.status 1 Good / 0 Bad; 2 Unverified when R-only or truncated).
 * - Version 1 with Protocol Type 0x880B (PPP), and 0x8881/0x88D2 (3GPP2), is Wireshark's
 *   "is_ppp": gre.flags.ack, gre.flags.reserved over 0x0078, Key split into
 *   gre.key.payload_length + gre.key.call_id (except 0x8881), gre.ack_number when A is set.
 * - The SRE list is walked exactly per RFC 1701: AF 16, SRE Offset 8, SRE Length 8, info;
 *   a NULL SRE (AF 0, length 0) ends it. Wireshark's field name `gre.routing.src_length`
 *   (sic) is kept.
 * - No payload (and S clear) → no sub-dissector; with S set an empty payload is still handed on.
 *
 * Deliberate differences:
 * - gretool appends its own key marker " [GRE key 0x00001001]" to the Info column after the
 *   payload is dissected (product requirement: data frames show the GRE key and the inner
 *   flow). `setGreKeyInInfo(false)` turns it off (for summary-line parity with tshark).
 * - Address family / SRE offset / length / information are children of their gre.routing
 *   node (Wireshark hangs them off the GRE item by mistake; `-T fields` is unaffected).
 * - WCCP redirect header (0x883E) and 3GPP2 attributes (0x88D2) are not decoded (data).
 *
 * Expert items carry the lint rule ids of lint-rules.md §4 (abbrev gretool.lint.<id>).
 * "In a PMIPv6 tunnel" (G-VERSION-NONZERO, G-PROTO-UNEXPECTED) is decided as follows:
 * the GRE header came out of UDP (PMIPv6 UDP port demultiplexer, with or without the TLV
 * header), or the Key bit is set and the frame is not PPTP enhanced GRE (version 1 carrying
 * PPP). G-VERSION-NONZERO additionally fires for any version other than a PPTP version 1.
 */
import { defineFields, fieldByName } from '../../engine/fields.js';
import { defineExperts } from '../../engine/expert.js';
import { table, type Dissector } from '../../engine/dispatch.js';
import { FieldGroup, type Packet } from '../../engine/packet.js';
import { TextBuf } from '../../engine/textbuf.js';
import { bytesKey, keyedLine } from '../../engine/label.js';
import { onesSum as engineOnesSum } from '../../engine/checksum.js';
import {
  GRE_FLAG_ACK,
  GRE_FLAG_CHECKSUM,
  GRE_FLAG_KEY,
  GRE_FLAG_ROUTING,
  GRE_FLAG_SEQUENCE,
  GRE_FLAG_STRICT_SOURCE_ROUTE,
  GRE_FLAGS_RESERVED_MASK,
  GRE_FLAGS_RESERVED_PPP_MASK,
  GRE_PROTO_IPV4,
  GRE_PROTO_IPV6,
  GRE_PROTO_PPP,
  GRE_RECURSION_DISCARD_BIT,
  GRE_RECURSION_MASK,
  GRE_RESERVED0_IGNORE_MASK,
  GRE_VERSION_MASK,
  GRE_VERSION_PPTP,
  IP_PROTO_GRE,
} from './layout.js';

/** CDMA2000 A10 EtherTypes that Wireshark treats like enhanced GRE ("is_ppp"). */
const GRE_PROTO_CDMA2000_A10_UBS = 0x8881;
const GRE_PROTO_3GPP2 = 0x88d2;

/** gre.proto value names (tshark 4.0 `-G values`). */
export const GRE_TYPE_NAMES: Readonly<Record<number, string>> = (() => {
  const t: Record<number, string> = {
    0x0000: 'Possible GRE keepalive packet',
    0x880b: 'PPP',
    0x0800: 'IP',
    0x0806: 'ARP',
    0x00fe: 'OSI',
    0x883e: 'WCCP',
    0x2000: 'CDP (Cisco)',
    0x2001: 'NHRP',
    0x88be: 'ERSPAN',
    0x22eb: 'ERSPAN III',
    0x6400: 'MIKROTIK EoIP',
    0xfeae: 'AIROHIVE AP AP',
    0x8137: 'IPX',
    0x6558: 'Transparent Ethernet bridging',
    0x6559: 'Frame Relay',
    0x86dd: 'IPv6',
    0x8847: 'MPLS label switched packet',
    0x894f: 'Network Service Header',
    0x8881: 'CDMA2000 A10 Unstructured byte stream',
    0x88d2: 'CDMA2000 A10 3GPP2 Packet',
    0x8909: 'CiscoMetaData',
    0xb7ea: 'Huawei GRE bonding',
  };
  for (let k = 0x8200; k <= 0x8370; k += 0x10) t[k] = 'ARUBA WLAN';
  t[0x9000] = 'ARUBA WLAN';
  return t;
})();

const CHECKSUM_STATUS = { 0: 'Bad', 1: 'Good', 2: 'Unverified', 3: 'Not present', 4: 'Illegal' } as const;
export const GRE_CKSUM_BAD = 0;
export const GRE_CKSUM_GOOD = 1;
export const GRE_CKSUM_UNVERIFIED = 2;

const YES_NO = ['Yes', 'No'] as const;

/** The protocol item's label, as tshark: "Generic Routing Encapsulation (IP)" / "(0x1234 - unknown)". Built only when printed. */
function greLabel(p: Packet, node: number): string {
  const type = p.u16(p.tree.off[node]! + 2);
  const name = GRE_TYPE_NAMES[type] ?? '0x' + type.toString(16).toUpperCase().padStart(4, '0') + ' - unknown';
  return 'Generic Routing Encapsulation (' + name + ')';
}

export const GRE_FIELDS = defineFields({
  gre: { abbrev: 'gre', name: 'Generic Routing Encapsulation', short: 'GRE', type: 'protocol', compute: keyedLine(greLabel, bytesKey(2, 2)) },
  flags_and_version: { abbrev: 'gre.flags_and_version', name: 'Flags and Version', type: 'uint16', base: 'hex', description: 'The GRE flags are encoded in the first two octets' },
  checksum_bit: { abbrev: 'gre.flags.checksum', name: 'Checksum Bit', type: 'boolean', bits: 16, mask: GRE_FLAG_CHECKSUM, tf: YES_NO, description: 'Indicates if the Checksum field is present' },
  routing_bit: { abbrev: 'gre.flags.routing', name: 'Routing Bit', type: 'boolean', bits: 16, mask: GRE_FLAG_ROUTING, tf: YES_NO, description: 'Indicates if the Routing and Checksum/Offset field are present' },
  key_bit: { abbrev: 'gre.flags.key', name: 'Key Bit', type: 'boolean', bits: 16, mask: GRE_FLAG_KEY, tf: YES_NO, description: 'Indicates if the Key field is present' },
  seq_bit: { abbrev: 'gre.flags.sequence_number', name: 'Sequence Number Bit', type: 'boolean', bits: 16, mask: GRE_FLAG_SEQUENCE, tf: YES_NO, description: 'Indicates if the Sequence Number field is present' },
  ssr_bit: { abbrev: 'gre.flags.strict_source_route', name: 'Strict Source Route Bit', type: 'boolean', bits: 16, mask: GRE_FLAG_STRICT_SOURCE_ROUTE, tf: YES_NO },
  recursion: { abbrev: 'gre.flags.recursion_control', name: 'Recursion control', type: 'uint16', base: 'dec', mask: GRE_RECURSION_MASK },
  ack_bit: { abbrev: 'gre.flags.ack', name: 'Acknowledgment', type: 'boolean', bits: 16, mask: GRE_FLAG_ACK, tf: YES_NO, description: 'Indicates if the packet contains an Acknowledgment Number to be used for acknowledging previously transmitted data' },
  // Wireshark registers gre.flags.reserved twice (mask 0x00F8, and 0x0078 for enhanced GRE);
  // gretool declares it once with 0x00F8 and adds the enhanced-GRE value explicitly.
  reserved: { abbrev: 'gre.flags.reserved', name: 'Flags (Reserved)', type: 'uint16', base: 'dec', mask: GRE_FLAGS_RESERVED_MASK },
  version: { abbrev: 'gre.flags.version', name: 'Version', type: 'uint16', base: 'dec', mask: GRE_VERSION_MASK, strings: { 0: 'GRE', 1: 'Enhanced GRE' } },
  proto: { abbrev: 'gre.proto', name: 'Protocol Type', type: 'uint16', base: 'hex', strings: GRE_TYPE_NAMES, description: 'The protocol that is GRE encapsulated' },
  checksum: { abbrev: 'gre.checksum', name: 'Checksum', type: 'uint16', base: 'hex', description: "The Checksum field contains the IP (one's complement) checksum of the GRE header and the payload packet" },
  checksum_status: { abbrev: 'gre.checksum.status', name: 'Checksum Status', type: 'uint8', base: 'none', strings: CHECKSUM_STATUS },
  offset: { abbrev: 'gre.offset', name: 'Offset', type: 'uint16', base: 'dec', description: 'The offset field indicates the octet offset from the start of the Routing field to the first octet of the active Source Route Entry to be examined' },
  key: { abbrev: 'gre.key', name: 'Key', type: 'uint32', base: 'hex', description: 'The Key field contains a four octet number which was inserted by the encapsulator', wire: true },
  key_payload_length: { abbrev: 'gre.key.payload_length', name: 'Payload Length', type: 'uint16', base: 'dec', description: 'Size of the payload, not including the GRE header' },
  key_call_id: { abbrev: 'gre.key.call_id', name: 'Call ID', type: 'uint16', base: 'dec', description: "Contains the Peer's Call ID for the session to which this packet belongs." },
  sequence_number: { abbrev: 'gre.sequence_number', name: 'Sequence Number', type: 'uint32', base: 'dec', description: 'The Sequence Number field contains an unsigned 32 bit integer which is inserted by the encapsulator', wire: true },
  ack_number: { abbrev: 'gre.ack_number', name: 'Acknowledgment Number', type: 'uint32', base: 'dec', description: 'Contains the sequence number of the highest numbered GRE packet received by the sending peer for this user session' },
  routing: { abbrev: 'gre.routing', name: 'Routing', type: 'none', description: 'The Routing field is a list of Source Route Entries (SREs)' },
  routing_af: { abbrev: 'gre.routing.address_family', name: 'Address Family', type: 'uint16', base: 'dec', description: 'The Address Family field contains a two octet value which indicates the syntax and semantics of the Routing Information field' },
  routing_sre_offset: { abbrev: 'gre.routing.sre_offset', name: 'SRE Offset', type: 'uint8', base: 'dec', description: 'The octet offset from the start of the Routing Information field to the first octet of the active entry' },
  routing_sre_length: { abbrev: 'gre.routing.src_length', name: 'SRE Length', type: 'uint8', base: 'dec', description: 'The SRE Length field contains the number of octets in the SRE' },
  routing_information: { abbrev: 'gre.routing.information', name: 'Routing Information', type: 'bytes', empty: '<MISSING>', description: 'The Routing Information field contains data which may be used in routing this packet' },
});
const F = GRE_FIELDS;

export const GRE_EXPERTS = defineExperts({
  versionNonzero: { abbrev: 'gretool.lint.G-VERSION-NONZERO', group: 'protocol', severity: 'error', rule: 'G-VERSION-NONZERO', summary: 'GRE Version {0} in a PMIPv6 tunnel (RFC 2784 §2.3.1: must be 0)' },
  routing: { abbrev: 'gretool.lint.G-RFC1701-ROUTING', group: 'protocol', severity: 'error', rule: 'G-RFC1701-ROUTING', summary: 'GRE Routing bit (RFC 1701) set: an RFC 2784 receiver discards this packet' },
  ssr: { abbrev: 'gretool.lint.G-RFC1701-SSR', group: 'protocol', severity: 'error', rule: 'G-RFC1701-SSR', summary: 'GRE Strict Source Route bit (RFC 1701) set: an RFC 2784 receiver discards this packet' },
  recur: { abbrev: 'gretool.lint.G-RFC1701-RECUR', group: 'protocol', severity: 'error', rule: 'G-RFC1701-RECUR', summary: 'GRE Recursion control {0} has bit 5 (0x0400) set: an RFC 2784 receiver discards this packet' },
  recurIgnored: { abbrev: 'gretool.lint.G-RFC1701-RECUR.ignored', group: 'protocol', severity: 'warning', rule: 'G-RFC1701-RECUR', summary: 'GRE Recursion control {0} is not 0 (RFC 2784 §2.3: bits 6-7 must be sent as 0 and are ignored)' },
  reserved0: { abbrev: 'gretool.lint.G-RESERVED0-6-12', group: 'protocol', severity: 'warning', rule: 'G-RESERVED0-6-12', summary: 'GRE Reserved0 bits 6-12 are {0} (RFC 2784 §2.3: must be sent as 0)' },
  reserved1: { abbrev: 'gretool.lint.G-RESERVED1-NONZERO', group: 'protocol', severity: 'warning', rule: 'G-RESERVED1-NONZERO', summary: 'GRE Reserved1 is {0} (RFC 2784 §2.6: must be sent as 0)' },
  cksumBad: { abbrev: 'gretool.lint.G-CKSUM-BAD', group: 'checksum', severity: 'error', rule: 'G-CKSUM-BAD', summary: 'Incorrect GRE Checksum [should be {0}]' },
  protoUnexpected: { abbrev: 'gretool.lint.G-PROTO-UNEXPECTED', group: 'protocol', severity: 'warning', rule: 'G-PROTO-UNEXPECTED', summary: 'GRE Protocol Type {0} in a PMIPv6 tunnel (expected 0x0800 IPv4 or 0x86DD IPv6)' },
});
const E = GRE_EXPERTS;

const KEY_MARK = TextBuf.encode(' [GRE key ');

/** The flags-and-version word and its bits (added together, skipped together). */
const FLAG_FIELDS = new FieldGroup([
  F.flags_and_version, F.checksum_bit, F.routing_bit, F.key_bit, F.seq_bit, F.ssr_bit, F.recursion, F.ack_bit, F.reserved, F.version,
]);

/** Whether gretool's " [GRE key 0x…]" marker is appended to the Info column (default on). */
let keyInInfo = true;
export function setGreKeyInInfo(on: boolean): void {
  keyInInfo = on;
}

/**
 * Appends " [GRE key 0x…]" to the Info column after the payload's text (when the marker is on).
 * The dissector and the summary fast path (output/fastsummary.ts) write it.
 */
export function greKeyInfo(info: TextBuf, key: number): void {
  if (keyInInfo) info.lit(KEY_MARK).hex0x(key, 8).byte(93);
}

const greProtoTable = table('gre.proto');
const ethertypeTable = table('ethertype');
const dataTable = table('data', 1);

// Protocols whose presence right before GRE marks a UDP tunnel (resolved lazily: other folders).
let udpProtoId = -2;
let tlvProtoId = -2;
function resolveLazyIds(): void {
  udpProtoId = fieldByName('udp')?.id ?? -1;
  tlvProtoId = fieldByName('pmip6.tlv')?.id ?? -1;
}

const HEXU = '0123456789ABCDEF';
/** "0x%04X" into a TextBuf. */
function hex4Upper(b: TextBuf, v: number): void {
  b.byte(48).byte(120);
  for (let s = 12; s >= 0; s -= 4) b.byte(HEXU.charCodeAt((v >>> s) & 15));
}

/** Info text "Encapsulated <gre.proto name>" ("Encapsulated 0x1234 (unknown)") as bytes, built once per type. */
const encapsulated = new Map<number, Uint8Array>();
let lastType = -1;
let lastText: Uint8Array = new Uint8Array(0);
function encapsulatedText(type: number): Uint8Array {
  if (type === lastType) return lastText;
  let b = encapsulated.get(type);
  if (b === undefined) {
    const t = new TextBuf(48).str('Encapsulated ');
    const name = GRE_TYPE_NAMES[type];
    if (name !== undefined) t.str(name);
    else {
      hex4Upper(t, type);
      t.str(' (unknown)');
    }
    b = t.buf.slice(0, t.len);
    encapsulated.set(type, b);
  }
  lastType = type;
  lastText = b;
  return b;
}

function hex4(v: number): string {
  return '0x' + v.toString(16).padStart(4, '0');
}

/** One's-complement sum of frame bytes [off, end), folded to 16 bits (0 only for an all-zero sum). */
function onesSum(p: Packet, off: number, end: number): number {
  return fold(engineOnesSum(p.data, p.base + off, p.base + end));
}

function fold(s: number): number {
  while (s > 0xffff) s = (s & 0xffff) + Math.floor(s / 65536);
  return s;
}

/** The GRE dissector (ip.proto 47; also reached from the PMIPv6 UDP demultiplexer). */
export const greDissector: Dissector = {
  proto: F.gre,
  name: 'gre',
  dissect(p: Packet, off: number, end: number, parent: number): void {
    // The protocol right before GRE tells whether it came out of a UDP tunnel (PMIPv6 ports).
    const prev = p.nprotos > 0 ? p.protos[p.nprotos - 1]! : -1;
    p.pushProto(F.gre);
    // tshark reads flags and type before adding anything: a header under 4 octets adds no item.
    p.need(off, 4, end);
    const flags = p.u16(off);
    const type = p.u16(off + 2);
    const version = flags & GRE_VERSION_MASK;

    if (p.colsOn) {
      p.cols.proto = 'GRE';
      p.cols.info.clear().lit(encapsulatedText(type));
    }

    const isPpp =
      type === GRE_PROTO_PPP ? version !== 0 : type === GRE_PROTO_3GPP2 || type === GRE_PROTO_CDMA2000_A10_UBS;

    // every field below is a gre.* field: skip the adds when none is wanted
    const tree = p.wantsFields(F.gre);
    let root = -1;
    let fv = -1;
    let nRouting = -1;
    let nSsr = -1;
    let nRecur = -1;
    let nReserved = -1;
    let nVersion = -1;
    root = p.add(F.gre, off, end - off, parent);
    if (tree) {
      if (FLAG_FIELDS.wanted(p)) {
        fv = p.add(F.flags_and_version, off, 2, root);
        p.add(F.checksum_bit, off, 2, fv);
        nRouting = p.add(F.routing_bit, off, 2, fv);
        p.add(F.key_bit, off, 2, fv);
        p.add(F.seq_bit, off, 2, fv);
        nSsr = p.add(F.ssr_bit, off, 2, fv);
        nRecur = p.add(F.recursion, off, 2, fv);
        if (isPpp) {
          p.add(F.ack_bit, off, 2, fv);
          nReserved = p.addNum(F.reserved, off, 2, fv, (flags & GRE_FLAGS_RESERVED_PPP_MASK) >>> 3);
        } else {
          nReserved = p.add(F.reserved, off, 2, fv);
        }
        nVersion = p.add(F.version, off, 2, fv);
      }
      p.add(F.proto, off + 2, 2, root);
    }

    // ---- lint: bits an RFC 2784 (+ RFC 2890) receiver does not expect
    if (flags & GRE_FLAG_ROUTING) p.expert(E.routing, nRouting);
    if (flags & GRE_FLAG_STRICT_SOURCE_ROUTE) p.expert(E.ssr, nSsr);
    const recur = (flags & GRE_RECURSION_MASK) >>> 8;
    if (recur !== 0) p.expert(flags & GRE_RECURSION_DISCARD_BIT ? E.recur : E.recurIgnored, nRecur, recur);
    // Bits 6-12 (0x03F8); in enhanced GRE 0x0080 is the A flag, not reserved.
    const res0 = flags & (isPpp ? GRE_RESERVED0_IGNORE_MASK & ~GRE_FLAG_ACK : GRE_RESERVED0_IGNORE_MASK);
    if (res0 !== 0) p.expert(E.reserved0, (res0 & 0x0300) === 0 ? nReserved : fv, hex4(res0));
    if (udpProtoId === -2) resolveLazyIds();
    const viaUdp = prev >= 0 && (prev === udpProtoId || prev === tlvProtoId);
    const pptp = version === GRE_VERSION_PPTP && type === GRE_PROTO_PPP;
    const pmipTunnel = viaUdp || ((flags & GRE_FLAG_KEY) !== 0 && !pptp);
    if (version !== 0 && (pmipTunnel || !pptp)) p.expert(E.versionNonzero, nVersion, version);
    if (pmipTunnel && type !== GRE_PROTO_IPV4 && type !== GRE_PROTO_IPV6) p.expert(E.protoUnexpected, root, hex4(type));

    let o = off + 4;
    if (flags & (GRE_FLAG_CHECKSUM | GRE_FLAG_ROUTING)) {
      p.need(o, 2, end);
      const nCk = tree ? p.add(F.checksum, o, 2, root) : -1;
      if (flags & GRE_FLAG_CHECKSUM && end <= p.caplen) {
        // RFC 2784 §2.5: over the GRE header and payload (no pseudo-header). The sum of all
        // words including the checksum must be 0xFFFF (in_cksum() == 0 in Wireshark's terms).
        // Verified in every run: G-CKSUM-BAD is a lint rule.
        const field = p.u16(o);
        const rest = fold(onesSum(p, off, o) + onesSum(p, o + 2, end));
        const good = fold(rest + field) === 0xffff;
        if (tree) p.addGen(F.checksum_status, root, good ? GRE_CKSUM_GOOD : GRE_CKSUM_BAD, o, 0);
        if (!good) p.expert(E.cksumBad, nCk, hex4(~rest & 0xffff));
      } else if (tree) {
        p.addGen(F.checksum_status, root, GRE_CKSUM_UNVERIFIED, o, 0);
      }
      o += 2;
      p.need(o, 2, end);
      const nOff = tree ? p.add(F.offset, o, 2, root) : -1;
      if (!(flags & GRE_FLAG_ROUTING) && p.u16(o) !== 0) p.expert(E.reserved1, nOff, p.u16(o));
      o += 2;
    }
    let key = -1;
    if (flags & GRE_FLAG_KEY) {
      if (isPpp && type !== GRE_PROTO_CDMA2000_A10_UBS) {
        p.need(o, 2, end);
        if (tree) p.add(F.key_payload_length, o, 2, root);
        o += 2;
        p.need(o, 2, end);
        if (tree) p.add(F.key_call_id, o, 2, root);
        o += 2;
      } else {
        p.need(o, 4, end);
        if (tree) p.add(F.key, o, 4, root);
        key = p.u32(o);
        o += 4;
      }
    }
    if (flags & GRE_FLAG_SEQUENCE) {
      p.need(o, 4, end);
      if (tree) p.add(F.sequence_number, o, 4, root);
      o += 4;
    }
    if (isPpp && flags & GRE_FLAG_ACK) {
      p.need(o, 4, end);
      if (tree) p.add(F.ack_number, o, 4, root);
      o += 4;
    }
    if (flags & GRE_FLAG_ROUTING) {
      // RFC 1701 §2.1: SREs until the NULL SRE (Address Family 0, SRE Length 0).
      for (;;) {
        const nSre = tree ? p.add(F.routing, o, p.avail(o, end), root) : -1;
        p.need(o, 2, end);
        const af = p.u16(o);
        if (tree) p.add(F.routing_af, o, 2, nSre);
        p.need(o + 2, 1, end);
        if (tree) p.add(F.routing_sre_offset, o + 2, 1, nSre);
        p.need(o + 3, 1, end);
        const sreLen = p.u8(o + 3);
        if (tree) p.add(F.routing_sre_length, o + 3, 1, nSre);
        p.setLen(nSre, 4 + sreLen);
        o += 4;
        if (af === 0 && sreLen === 0) break;
        p.need(o, sreLen, end);
        if (tree) p.add(F.routing_information, o, sreLen, nSre);
        o += sreLen;
      }
    }
    p.setLen(root, o - off);

    // ---- payload
    if (o < end || flags & GRE_FLAG_SEQUENCE) {
      let sub = greProtoTable.get(type);
      if (sub === undefined && (type === GRE_PROTO_IPV4 || type === GRE_PROTO_IPV6)) sub = ethertypeTable.get(type);
      if (sub !== undefined) p.call(sub, o, end, parent);
      else {
        const data = dataTable.get(0);
        if (data) p.call(data, o, end, root);
      }
    }
    if (key >= 0 && p.colsOn) greKeyInfo(p.cols.info, key);
  },
};

table('ip.proto', 256).add(IP_PROTO_GRE, greDissector);
