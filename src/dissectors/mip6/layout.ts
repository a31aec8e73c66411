/**
 * The IPv6 Mobility Header bit layout (RFC 6275 §6.1, RFC 5213 §8, RFC 5845 §6, RFC 5844 §3,
 * RFC 6602 §4): protocol numbers, ports, offsets, MH types, option types, flag masks, status
 * codes and option alignments. Shared by the dissector (./index.ts) and the generator's builders
 * (./build.ts), so both sides read the same bits. Constants only: no imports, no side effects.
 *
 * Offsets named `MH_*` / `BU_*` / `BA_*` count from the first octet of the Mobility Header
 * ("MH+n" in shared/spec/wire-formats.md). Option offsets count from the option's Type octet.
 */

// ------------------------------------------------------------------ carriers
/** IPv6 Next Header / IPv4 protocol of the Mobility Header (RFC 6275 §6.1). */
export const IPPROTO_MH = 135;
/** Pre-RFC protocol number for the MH that Wireshark 4.0 still binds ("ip.proto" 62). */
export const IPPROTO_MH_LEGACY = 62;
/** "No Next Header": the only valid MH Payload Proto (RFC 6275 §6.1.1, §9.2). */
export const IPPROTO_NONE = 59;
/** PMIPv6 over IPv4 (RFC 5844 §4; IANA "pmip6-cntl" / "pmip6-data"). */
export const UDP_PORT_PMIP6_CNTL = 5436;
export const UDP_PORT_PMIP6_DATA = 5437;

// ------------------------------------------------------------------ MH common header
export const MH_OFF_PROTO = 0;
export const MH_OFF_HLEN = 1;
export const MH_OFF_TYPE = 2;
export const MH_OFF_RESERVED = 3;
export const MH_OFF_CSUM = 4;
/** Start of the message data (fixed part of each type). */
export const MH_OFF_DATA = 6;
/** The MH length is (Header Len + 1) * MH_LEN_UNIT octets. */
export const MH_LEN_UNIT = 8;

/** MH types (IANA "Mobility Header Types"; Wireshark's mip6_mh_types[]). */
export const MH_TYPE = {
  BRR: 0,    // Binding Refresh Request
  HOTI: 1,   // Home Test Init
  COTI: 2,   // Care-of Test Init
  HOT: 3,    // Home Test
  COT: 4,    // Care-of Test
  BU: 5,     // Binding Update / Proxy Binding Update
  BA: 6,     // Binding Acknowledgement / Proxy Binding Acknowledgement
  BE: 7,     // Binding Error
  FBU: 8,    // Fast Binding Update
  FBACK: 9,  // Fast Binding Acknowledgment
  FNA: 10,   // Fast Neighbor Advertisement
  EXP: 11,   // Experimental Mobility Header
  HAS: 12,   // Home Agent Switch
  HB: 13,    // Heartbeat
  HI: 14,    // Handover Initiate
  HACK: 15,  // Handover Acknowledge
  BR: 16,    // Binding Revocation
  LRI: 17,   // Localized Routing Initiation
  LRA: 18,   // Localized Routing Acknowledgment
} as const;

/**
 * Octets of fixed message data after the 6-octet common header, per MH type (RFC 6275 §6.1.2–
 * §6.1.9, RFC 5568, RFC 5847, RFC 5846, RFC 6705). Options start at MH_OFF_DATA + this.
 * A Header Len whose MH is shorter than MH_OFF_DATA + fixed is invalid (P-MH-HDRLEN).
 */
export const MH_FIXED_LEN: Readonly<Record<number, number>> = {
  0: 2, 1: 10, 2: 10, 3: 18, 4: 18, 5: 6, 6: 6, 7: 18, 8: 6, 9: 6, 10: 2, 11: 0, 12: 2,
  13: 6, 14: 4, 15: 4, 16: 6, 17: 6, 18: 6,
};
/** Minimum total MH length (octets) of a BU/BA: 12 octets padded to 16 (RFC 6275 §6.1.7). */
export const MH_MIN_LEN_BU_BA = 16;

// ------------------------------------------------------------------ (Proxy) Binding Update
export const BU_OFF_SEQ = 6;
export const BU_OFF_FLAGS = 8;
export const BU_OFF_LIFETIME = 10;
export const BU_OFF_OPTIONS = 12;

/** Flags: masks of the 16-bit word at MH+8. */
export const BU_FLAG = {
  A: 0x8000, // acknowledge requested
  H: 0x4000, // home registration
  L: 0x2000, // link-local address compatibility
  K: 0x1000, // key management mobility capability
  M: 0x0800, // MAP registration (RFC 4140)
  R: 0x0400, // mobile router (RFC 3963)
  P: 0x0200, // proxy registration (RFC 5213 §8.1)
  F: 0x0100, // force UDP encapsulation (RFC 5555 §3.1.3)
  T: 0x0080, // TLV-header format (RFC 5845 §6.2)
  B: 0x0040, // bulk binding update (RFC 6602 §4.1)
  RESERVED: 0x003f,
} as const;

// ------------------------------------------------------------------ (Proxy) Binding Acknowledgement
export const BA_OFF_STATUS = 6;
export const BA_OFF_FLAGS = 7;
export const BA_OFF_SEQ = 8;
export const BA_OFF_LIFETIME = 10;
export const BA_OFF_OPTIONS = 12;

/** Flags: masks of the octet at MH+7. */
export const BA_FLAG = {
  K: 0x80,
  R: 0x40,
  P: 0x20,
  T: 0x10, // RFC 5845 §6.3
  B: 0x08, // RFC 6602 §4.2
  RESERVED: 0x07,
} as const;

/** Lifetimes are in units of 4 seconds (RFC 6275 §6.1.7, §6.1.8). */
export const LIFETIME_UNIT_S = 4;

/** BA status codes (RFC 6275 §6.1.8, RFC 5213 §8.9, RFC 5845 §6.4, RFC 5844 §3.3.5, …). */
export const BA_STATUS = {
  ACCEPTED: 0,
  ACCEPTED_PREFIX_DISCOVERY: 1,
  GRE_KEY_OPTION_NOT_REQUIRED: 2,
  GRE_TUNNELING_BUT_TLV_HEADER_NOT_SUPPORTED: 3,
  REASON_UNSPECIFIED: 128,
  ADMINISTRATIVELY_PROHIBITED: 129,
  INSUFFICIENT_RESOURCES: 130,
  SEQUENCE_OUT_OF_WINDOW: 135,
  PROXY_REG_NOT_ENABLED: 152,
  NOT_LMA_FOR_THIS_MOBILE_NODE: 153,
  MAG_NOT_AUTHORIZED_FOR_PROXY_REG: 154,
  NOT_AUTHORIZED_FOR_HOME_NETWORK_PREFIX: 155,
  TIMESTAMP_MISMATCH: 156,
  TIMESTAMP_LOWER_THAN_PREV_ACCEPTED: 157,
  MISSING_HOME_NETWORK_PREFIX_OPTION: 158,
  BCE_PBU_PREFIX_SET_DO_NOT_MATCH: 159,
  MISSING_MN_IDENTIFIER_OPTION: 160,
  MISSING_HANDOFF_INDICATOR_OPTION: 161,
  MISSING_ACCESS_TECH_TYPE_OPTION: 162,
  GRE_KEY_OPTION_REQUIRED: 163,
  NOT_AUTHORIZED_FOR_IPV4_MOBILITY_SERVICE: 170,
  NOT_AUTHORIZED_FOR_IPV4_HOME_ADDRESS: 171,
  NOT_AUTHORIZED_FOR_IPV6_MOBILITY_SERVICE: 172,
  MULTIPLE_IPV4_HOME_ADDRESS_ASSIGNMENT_NOT_SUPPORTED: 173,
  INVALID_MOBILE_NODE_GROUP_IDENTIFIER: 175,
} as const;
/** Status values >= this reject the binding (RFC 6275 §6.1.8). */
export const BA_STATUS_REJECT_MIN = 128;

// ------------------------------------------------------------------ mobility options
/** Option header: Type (8) · Length (8, octets after these two). Pad1 has no Length. */
export const OPT_OFF_TYPE = 0;
export const OPT_OFF_LEN = 1;
export const OPT_HDR_LEN = 2;

/** Mobility option types (IANA "Mobility Options"; Wireshark's mip6_opt types). */
export const OPT = {
  PAD1: 0,
  PADN: 1,
  BRA: 2,            // Binding Refresh Advice
  ACOA: 3,           // Alternate Care-of Address
  NI: 4,             // Nonce Indices
  AUTH_DATA: 5,      // Binding Authorization Data
  MNP: 6,            // Mobile Network Prefix (RFC 3963)
  MHLLA: 7,          // Mobility Header Link-Layer Address (RFC 5568)
  MNID: 8,           // Mobile Node Identifier (RFC 4283)
  AUTH: 9,           // Mobility Message Authentication (RFC 4285)
  MESG_ID: 10,       // Mobility Message Replay Protection (RFC 4285)
  CGAPR: 11,         // CGA Parameters Request
  CGAR: 12,          // CGA Parameters
  SIGN: 13,          // Signature
  PHKT: 14,          // Permanent Home Keygen Token
  COTI: 15,          // Care-of Test Init
  COT: 16,           // Care-of Test
  DNSU: 17,          // DNS-Update
  EM: 18,            // Experimental
  VSM: 19,           // Vendor Specific
  SSM: 20,           // Service Selection
  BADFF: 21,         // Binding Authorization Data for FMIPv6
  HNP: 22,           // Home Network Prefix (RFC 5213 §8.3)
  HI: 23,            // Handoff Indicator (RFC 5213 §8.4)
  ATT: 24,           // Access Technology Type (RFC 5213 §8.5)
  MNLLI: 25,         // Mobile Node Link-layer Identifier (RFC 5213 §8.6)
  LLA: 26,           // Link-local Address (RFC 5213 §8.7)
  TS: 27,            // Timestamp (RFC 5213 §8.8)
  RC: 28,            // Restart Counter (RFC 5847 §3.4)
  IPV4HA: 29,        // IPv4 Home Address (RFC 5555 §3.1.1)
  IPV4AA: 30,        // IPv4 Address Acknowledgement (RFC 5555 §3.2.1)
  NATD: 31,          // NAT Detection (RFC 5555 §3.2.2)
  IPV4COA: 32,       // IPv4 Care-of Address (RFC 5555 §3.1.2)
  GRE_KEY: 33,       // GRE Key (RFC 5845 §6.1)
  MHIPV6AP: 34,      // Mobility Header IPv6 Address/Prefix (RFC 5568)
  BI: 35,            // Binding Identifier (RFC 5648)
  IPV4HAREQ: 36,     // IPv4 Home Address Request (RFC 5844 §3.3.1)
  IPV4HAREP: 37,     // IPv4 Home Address Reply (RFC 5844 §3.3.2)
  IPV4DRA: 38,       // IPv4 Default-Router Address (RFC 5844 §3.3.3)
  IPV4DSM: 39,       // IPv4 DHCP Support Mode (RFC 5844 §3.3.4)
  CR: 40,            // Context Request (RFC 5949)
  LMAA: 41,          // Local Mobility Anchor Address (RFC 5949)
  MNG: 50,           // Mobile Node Group Identifier (RFC 6602 §4.3)
} as const;

/** GRE Key option (RFC 5845 §6.1): Length 2 = no key, 6 = key present. */
export const GRE_KEY_LEN_NO_KEY = 2;
export const GRE_KEY_LEN_WITH_KEY = 6;
export const GRE_KEY_OFF_RESERVED = 2;
export const GRE_KEY_OFF_KEY = 4;

/** Mobile Node Identifier subtypes (RFC 4283 §3.1 and IANA). */
export const MNID_SUBTYPE_NAI = 1;

/** PadN (RFC 6275 §6.2.3): Length = N - 2. */
export const PADN_HDR_LEN = 2;

/**
 * Alignment requirement "xn+y" of an option's Type octet, relative to the MH start
 * (RFC 2460 §4.2 notation): [x, y]. Options absent here have none.
 */
export const OPT_ALIGN: Readonly<Record<number, readonly [number, number]>> = {
  [OPT.HNP]: [8, 4],
  [OPT.LLA]: [8, 6],
  [OPT.TS]: [8, 2],
  [OPT.RC]: [4, 2],
  [OPT.IPV4HA]: [4, 0],
  [OPT.IPV4AA]: [4, 0],
  [OPT.NATD]: [4, 0],
  [OPT.IPV4COA]: [4, 0],
  [OPT.GRE_KEY]: [4, 0],
  [OPT.IPV4HAREQ]: [4, 0],
  [OPT.IPV4HAREP]: [4, 0],
  [OPT.IPV4DRA]: [4, 0],
};

/** Option Length values defined by the RFCs for fixed-size options (undefined: variable). */
export const OPT_FIXED_LEN: Readonly<Record<number, number>> = {
  [OPT.HNP]: 18,
  [OPT.HI]: 2,
  [OPT.ATT]: 2,
  [OPT.LLA]: 16,
  [OPT.TS]: 8,
  [OPT.RC]: 4,
  [OPT.IPV4HA]: 6,
  [OPT.IPV4AA]: 6,
  [OPT.NATD]: 6,
  [OPT.IPV4COA]: 6,
  [OPT.IPV4HAREQ]: 6,
  [OPT.IPV4HAREP]: 6,
  [OPT.IPV4DRA]: 6,
  [OPT.IPV4DSM]: 2,
  [OPT.MNG]: 6,
};

/** Handoff Indicator values (RFC 5213 §8.4). */
export const HI = {
  RESERVED: 0,
  NEW_INTERFACE: 1,
  INTER_INTERFACE: 2,
  INTER_MAG_SAME_INTERFACE: 3,
  UNKNOWN: 4,
  NOT_CHANGED: 5,
} as const;

/** Access Technology Type values (RFC 5213 §8.5 and IANA). */
export const ATT = {
  RESERVED: 0,
  VIRTUAL: 1,
  PPP: 2,
  IEEE_802_3: 3,
  IEEE_802_11: 4,
  IEEE_802_16E: 5,
  GERAN: 6,
  UTRAN: 7,
  EUTRAN: 8,
  CDMA2000: 9,
  HRPD: 10,
  HSDPA: 11,
  WIMAX: 12,
} as const;

/** IPv4 Home Address Request (36): prefix length in the top 6 bits of the word at opt+2. */
export const IPV4HAREQ_PREFLEN_MASK = 0xfc00;
/** IPv4 Home Address Reply (37): status at opt+2, prefix length in the top 6 bits of opt+3. */
export const IPV4HAREP_PREFLEN_MASK = 0xfc;
/** IPv4 DHCP Support Mode (39): S flag in the word at opt+2. */
export const IPV4DSM_S_FLAG = 0x0001;
/** IPv4 Home Address (29): P flag in the word at opt+2. */
export const IPV4HA_P_FLAG = 0x0200;
/** NAT Detection (31): F flag in the word at opt+2. */
export const NATD_F_FLAG = 0x8000;
/** Binding Identifier (35): H flag in the octet at opt+5. */
export const BI_H_FLAG = 0x80;
/** Heartbeat (MH 13): U/R flags in the octet at MH+7. */
export const HB_FLAG_U = 0x02;
export const HB_FLAG_R = 0x01;

/** The MH checksum pseudo-header's next header (RFC 6275 §6.1.1, RFC 2460 §8.1). */
export const MH_CSUM_NEXT_HEADER = IPPROTO_MH;
