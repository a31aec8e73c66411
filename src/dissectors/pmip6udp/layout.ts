/**
 * RFC 5845 §7 TLV header and the PMIPv6 UDP ports (RFC 5844 §4), shared by the dissector
 * (index.ts) and the generator's builder (build.ts). Pure constants and helpers; no imports.
 *
 *   bit:  0   3 4   7 8        15 16                     31
 *        | Type| Res | Next Hdr  |          Length         |
 *   Type (4 bits) must be 0, Res (4 bits) sent as 0, Next Header = IANA protocol number,
 *   Length = octets after the 4-octet TLV header; UDP.Length − 8 − 4 must equal it (§7.1).
 */

/** IANA pmip6-cntl: signalling (MH over UDP, RFC 5844). */
export const PMIP6_CNTL_PORT = 5436;
/** IANA pmip6-data: the data tunnel. */
export const PMIP6_DATA_PORT = 5437;

export const UDP_HEADER_LEN = 8;

export const TLV_HEADER_LEN = 4;
export const TLV_OFF_TYPE = 0; // high nibble of octet 0
export const TLV_OFF_NEXT_HEADER = 1;
export const TLV_OFF_LENGTH = 2;
/** Masks within octet 0. */
export const TLV_TYPE_MASK = 0xf0;
export const TLV_RESERVED_MASK = 0x0f;
/** The only defined TLV Type value. */
export const TLV_TYPE_GRE = 0;

/** Next Header values the TLV carries (IANA protocol numbers). */
export const TLV_NH_IPV4 = 4;
export const TLV_NH_GRE = 47;
export const TLV_NH_IPV6 = 41;

/** First-nibble demultiplexing of a PMIPv6 UDP payload (RFC 5845 §7.1). */
export const NIBBLE_TLV = 0x0;
export const NIBBLE_IPV4 = 0x4;
export const NIBBLE_IPV6 = 0x6;

/** Mobility Header carried over UDP (RFC 5844, the IPv6 header removed). */
export const IP_PROTO_MH = 135;
export const MH_PAYLOAD_PROTO_NONE = 59;
/** Highest MH type accepted by the MH-over-UDP heuristic (IANA registry: 0..24 assigned). */
export const MH_TYPE_MAX = 24;

/** The TLV Length that a UDP datagram of length `udpLength` must carry (RFC 5845 §7.1). */
export function tlvExpectedLength(udpLength: number): number {
  return udpLength - UDP_HEADER_LEN - TLV_HEADER_LEN;
}

/** Octet 0 of a TLV header from its Type and Reserved nibbles. */
export function tlvOctet0(type: number, reserved: number): number {
  return ((type & 0x0f) << 4) | (reserved & 0x0f);
}
