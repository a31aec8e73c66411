/**
 * GRE bit layout (RFC 2784, RFC 2890, RFC 1701 legacy bits, RFC 2637 enhanced GRE), shared by
 * the dissector (index.ts) and the generator's builder (build.ts). Pure constants and small
 * allocation-free helpers; no imports.
 *
 *   +0  flags/version 16: C R K S s Recur(3) Flags(5) Ver(3)
 *   +2  Protocol Type 16 (EtherType of the payload)
 *   [+  Checksum 16 | Reserved1 ("Offset") 16]   present if C or R
 *   [+  Key 32]                                 present if K (RFC 2890 §2.1)
 *   [+  Sequence Number 32]                     present if S (RFC 2890 §2.2)
 *   [+  Acknowledgment Number 32]               version 1 (PPTP) with A set
 *   [+  Routing: SRE list ended by a NULL SRE]  present if R (RFC 1701)
 */

/** IP protocol number / IPv6 Next Header of GRE (RFC 2784 §4). */
export const IP_PROTO_GRE = 47;

// ---- the 16-bit flags-and-version word at +0
export const GRE_FLAG_CHECKSUM = 0x8000; // C
export const GRE_FLAG_ROUTING = 0x4000; // R (RFC 1701)
export const GRE_FLAG_KEY = 0x2000; // K (RFC 2890)
export const GRE_FLAG_SEQUENCE = 0x1000; // S (RFC 2890)
export const GRE_FLAG_STRICT_SOURCE_ROUTE = 0x0800; // s (RFC 1701)
export const GRE_RECURSION_MASK = 0x0700; // Recur (RFC 1701)
/** The top bit of Recur: an RFC 2784 receiver must discard (bit 5). */
export const GRE_RECURSION_DISCARD_BIT = 0x0400;
/** RFC 2637 enhanced GRE (version 1): Acknowledgment Number present. */
export const GRE_FLAG_ACK = 0x0080;
/** RFC 1701 "Flags" (bits 8-12), Wireshark's gre.flags.reserved. */
export const GRE_FLAGS_RESERVED_MASK = 0x00f8;
/** Enhanced GRE's reserved flags (bits 9-12), Wireshark's gre.flags.reserved when PPTP. */
export const GRE_FLAGS_RESERVED_PPP_MASK = 0x0078;
export const GRE_VERSION_MASK = 0x0007;

/** RFC 2784 §2.3 Reserved0 bits that make an RFC 2784 receiver discard: bits 1, 4, 5 (R, s, Recur top bit). */
export const GRE_RESERVED0_DISCARD_MASK = 0x4c00;
/** RFC 2784 §2.3 Reserved0 bits 6-12: sent as 0, ignored on receipt. */
export const GRE_RESERVED0_IGNORE_MASK = 0x03f8;

export const GRE_VERSION_0 = 0; // RFC 2784
export const GRE_VERSION_PPTP = 1; // RFC 2637 enhanced GRE

// ---- Protocol Type values (EtherTypes) that PMIPv6 tunnels carry
export const GRE_PROTO_IPV4 = 0x0800;
export const GRE_PROTO_IPV6 = 0x86dd;
/** PPP (enhanced GRE, RFC 2637). */
export const GRE_PROTO_PPP = 0x880b;

// ---- fixed offsets and sizes
export const GRE_OFF_FLAGS = 0;
export const GRE_OFF_PROTO = 2;
export const GRE_BASE_LEN = 4;
export const GRE_CHECKSUM_WORD_LEN = 4; // checksum 16 + reserved1 16
export const GRE_KEY_LEN = 4;
export const GRE_SEQ_LEN = 4;
export const GRE_ACK_LEN = 4;
/** Source Route Entry header: Address Family 16, SRE Offset 8, SRE Length 8 (RFC 1701 §2.1). */
export const GRE_SRE_HEADER_LEN = 4;

/** True when the Checksum and Reserved1/Offset words are present (C, or R per RFC 1701). */
export function greHasChecksumWord(flags: number): boolean {
  return (flags & (GRE_FLAG_CHECKSUM | GRE_FLAG_ROUTING)) !== 0;
}

/** True when a version-1 (RFC 2637) header splits the key into payload length + call id. */
export function greIsPptp(flags: number, proto: number): boolean {
  return (flags & GRE_VERSION_MASK) !== 0 && proto === GRE_PROTO_PPP;
}

/** Offset of the Key field from the GRE start (meaningful only when K is set). */
export function greKeyOffset(flags: number): number {
  return GRE_BASE_LEN + (greHasChecksumWord(flags) ? GRE_CHECKSUM_WORD_LEN : 0);
}

/** Offset of the Sequence Number from the GRE start (meaningful only when S is set). */
export function greSeqOffset(flags: number): number {
  return greKeyOffset(flags) + (flags & GRE_FLAG_KEY ? GRE_KEY_LEN : 0);
}

/** Offset of the Routing field (or of the payload when R is clear), PPTP ack included when `pptp`. */
export function greRoutingOffset(flags: number, pptp = false): number {
  return greSeqOffset(flags) + (flags & GRE_FLAG_SEQUENCE ? GRE_SEQ_LEN : 0) + (pptp && flags & GRE_FLAG_ACK ? GRE_ACK_LEN : 0);
}

/** Header length without any Routing field: 4 + 4·C|R + 4·K + 4·S (+ 4·A for PPTP). */
export function greHeaderLen(flags: number, pptp = false): number {
  return greRoutingOffset(flags, pptp);
}
