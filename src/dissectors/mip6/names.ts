/**
 * Value-name tables of the Mobility Header (tree text, Info column, lint messages, generator
 * scenario files). Exported so other modules (lint, sessions, generate) name values the same way.
 * Names follow Wireshark 4.0's tables (tshark -G values) except where an RFC says otherwise;
 * each such difference is marked "RFC wins".
 */
import { ATT, HI, MH_TYPE } from './layout.js';

/** MH types (Wireshark mip6_mh_types[] = IANA). */
export const MH_TYPE_NAMES: Readonly<Record<number, string>> = {
  [MH_TYPE.BRR]: 'Binding Refresh Request',
  [MH_TYPE.HOTI]: 'Home Test Init',
  [MH_TYPE.COTI]: 'Care-of Test Init',
  [MH_TYPE.HOT]: 'Home Test',
  [MH_TYPE.COT]: 'Care-of Test',
  [MH_TYPE.BU]: 'Binding Update',
  [MH_TYPE.BA]: 'Binding Acknowledgement',
  [MH_TYPE.BE]: 'Binding Error',
  [MH_TYPE.FBU]: 'Fast Binding Update',
  [MH_TYPE.FBACK]: 'Fast Binding Acknowledgment',
  [MH_TYPE.FNA]: 'Fast Neighbor Advertisement',
  [MH_TYPE.EXP]: 'Experimental Mobility Header',
  [MH_TYPE.HAS]: 'Home Agent Switch',
  [MH_TYPE.HB]: 'Heartbeat',
  [MH_TYPE.HI]: 'Handover Initiate',
  [MH_TYPE.HACK]: 'Handover Acknowledge',
  [MH_TYPE.BR]: 'Binding Revocation',
  [MH_TYPE.LRI]: 'Localized Routing Initiation',
  [MH_TYPE.LRA]: 'Localized Routing Acknowledgment',
};

/** Mobility option types (Wireshark mip6_mobility_options[] = IANA). */
export const OPTION_NAMES: Readonly<Record<number, string>> = {
  0: 'Pad1',
  1: 'PadN',
  2: 'Binding Refresh Advice',
  3: 'Alternate Care-of Address',
  4: 'Nonce Indices',
  5: 'Authorization Data',
  6: 'Mobile Network Prefix',
  7: 'Mobility Header Link-Layer Address',
  8: 'Mobile Node Identifier',
  9: 'AUTH',
  10: 'MESG-ID',
  11: 'CGA Parameters Request',
  12: 'CGA Parameters',
  13: 'Signature',
  14: 'Permanent Home Keygen Token',
  15: 'Care-of Test Init',
  16: 'Care-of Test',
  17: 'DNS-UPDATE-TYPE',
  18: 'Experimental',
  19: 'Vendor Specific',
  20: 'Service Selection',
  21: 'Binding Authorization Data for FMIPv6 (BADF)',
  22: 'Home Network Prefix',
  23: 'Handoff Indicator',
  24: 'Access Technology Type',
  25: 'Mobile Node Link-layer Identifier',
  26: 'Link-local Address',
  27: 'Timestamp',
  28: 'Restart Counter',
  29: 'IPv4 Home Address',
  30: 'IPv4 Address Acknowledgement',
  31: 'NAT Detection',
  32: 'IPv4 Care-of Address',
  33: 'GRE Key',
  34: 'Mobility Header IPv6 Address/Prefix',
  35: 'Binding Identifier',
  36: 'IPv4 Home Address Request',
  37: 'IPv4 Home Address Reply',
  38: 'IPv4 Default-Router Address',
  39: 'IPv4 DHCP Support Mode',
  40: 'Context Request',
  41: 'Local Mobility Anchor Address',
  42: 'Mobile Node Link-local Address Interface Identifier',
  43: 'Transient Binding',
  44: 'Flow Summary',
  45: 'Flow Identification',
  46: 'Redirect-Capability',
  47: 'Redirect',
  48: 'Load Information',
  49: 'Alternate IPv4 Care-of Address',
  50: 'Mobile Node Group Identifier',
  51: 'MAG IPv6 Address',
  52: 'Access Network Identifier',
  55: 'Delegated Mobile Network Prefix',
};

/** BA status codes (Wireshark mip6_ba_status_value[] = IANA; see wire-formats.md §4). */
export const BA_STATUS_NAMES: Readonly<Record<number, string>> = {
  0: 'Binding Update accepted',
  1: 'Accepted but prefix discovery necessary',
  2: 'GRE_KEY_OPTION_NOT_REQUIRED',
  3: 'GRE_TUNNELING_BUT_TLV_HEADER_NOT_SUPPORTED',
  4: 'MCOA NOTCOMPLETE',
  5: 'MCOA RETURNHOME WO/NDP',
  6: 'PBU_ACCEPTED_TB_IGNORED_SETTINGSMISMATCH',
  128: 'Reason unspecified',
  129: 'Administratively prohibited',
  130: 'Insufficient resources',
  131: 'Home registration not supported',
  132: 'Not home subnet',
  133: 'Not home agent for this mobile node',
  134: 'Duplicate Address Detection failed',
  135: 'Sequence number out of window',
  136: 'Expired home nonce index',
  137: 'Expired care-of nonce index',
  138: 'Expired nonces',
  139: 'Registration type change disallowed',
  140: 'Mobile Router Operation not permitted',
  141: 'Invalid Prefix',
  142: 'Not Authorized for Prefix',
  143: 'Mobile Network Prefix information unavailable',
  145: 'Proxy Registration not supported by the LMA',
  146: 'Proxy Registrations from this MAG not allowed',
  147: 'No home address for this NAI',
  148: 'Invalid Time Stamp Option',
  149: 'Permanent home keygen token exists',
  150: 'Non-null home nonce index expected',
  151: 'SERVICE_AUTHORIZATION_FAILED',
  152: 'PROXY_REG_NOT_ENABLED',
  153: 'NOT_LMA_FOR_THIS_MOBILE_NODE',
  154: 'MAG_NOT_AUTHORIZED_FOR_PROXY_REG',
  155: 'NOT_AUTHORIZED_FOR_HOME_NETWORK_PREFIX',
  156: 'TIMESTAMP_MISMATCH',
  157: 'TIMESTAMP_LOWER_THAN_PREV_ACCEPTED',
  158: 'MISSING_HOME_NETWORK_PREFIX_OPTION',
  159: 'BCE_PBU_PREFIX_SET_DO_NOT_MATCH',
  160: 'MISSING_MN_IDENTIFIER_OPTION',
  161: 'MISSING_HANDOFF_INDICATOR_OPTION',
  162: 'MISSING_ACCESS_TECH_TYPE_OPTION',
  163: 'GRE_KEY_OPTION_REQUIRED',
  164: 'MCOA MALFORMED',
  165: 'MCOA NON-MCOA BINDING EXISTS',
  166: 'MCOA PROHIBITED',
  167: 'MCOA UNKNOWN COA',
  168: 'MCOA BULK REGISTRATION PROHIBITED',
  169: 'MCOA SIMULTANEOUS HOME AND FOREIGN PROHIBITED',
  170: 'NOT_AUTHORIZED_FOR_IPV4_MOBILITY_SERVICE',
  171: 'NOT_AUTHORIZED_FOR_IPV4_HOME_ADDRESS',
  172: 'NOT_AUTHORIZED_FOR_IPV6_MOBILITY_SERVICE',
  173: 'MULTIPLE_IPV4_HOME_ADDRESS_ASSIGNMENT_NOT_SUPPORTED',
  174: 'Invalid Care-of Address',
  175: 'INVALID_MOBILE_NODE_GROUP_IDENTIFIER',
  176: 'REINIT_SA_WITH_HAC',
  177: 'NOT_AUTHORIZED_FOR_DELEGATED_MNP',
  178: 'REQUESTED_DMNP_IN_USE',
};

/** Short status words for the Info column (the full name is in the tree). */
export const BA_STATUS_SHORT: Readonly<Record<number, string>> = {
  0: 'accepted',
  1: 'accepted, prefix discovery necessary',
};

/** Handoff Indicator (RFC 5213 §8.4; Wireshark pmip6_hi_opttype_value[]). */
export const HI_NAMES: Readonly<Record<number, string>> = {
  [HI.RESERVED]: 'Reserved',
  [HI.NEW_INTERFACE]: 'Attachment over a new interface',
  [HI.INTER_INTERFACE]: 'Handoff between two different interfaces of the mobile node',
  [HI.INTER_MAG_SAME_INTERFACE]: 'Handoff between mobile access gateways for the same interface',
  [HI.UNKNOWN]: 'Handoff state unknown',
  [HI.NOT_CHANGED]: 'Handoff state not changed (Re-registration)',
};

/** Access Technology Type (RFC 5213 §8.5 + IANA; Wireshark pmip6_att_att_value[]). */
export const ATT_NAMES: Readonly<Record<number, string>> = {
  [ATT.RESERVED]: 'Reserved',
  [ATT.VIRTUAL]: 'Virtual',
  [ATT.PPP]: 'PPP',
  [ATT.IEEE_802_3]: 'IEEE 802.3',
  [ATT.IEEE_802_11]: 'IEEE 802.11a/b/g',
  [ATT.IEEE_802_16E]: 'IEEE 802.16e',
  [ATT.GERAN]: '3GPP GERAN',
  [ATT.UTRAN]: '3GPP UTRAN',
  [ATT.EUTRAN]: '3GPP E-UTRAN',
  [ATT.CDMA2000]: '3GPP2 eHRPD',
  [ATT.HRPD]: '3GPP2 HRPD',
  [ATT.HSDPA]: '3GPP2 1xRTT',
  [ATT.WIMAX]: '3GPP2 UMB',
};

/**
 * IPv4 Home Address Reply / IPv4 Address Acknowledgement status (RFC 5844 §3.3.2, RFC 5555
 * §3.2.1). RFC wins: Wireshark 4.0 names 128..132 with the ATT table ("Virtual", "PPP", ...),
 * which is a copy-paste slip; the numbers printed by -T fields are the same.
 */
export const IPV4_HOA_STATUS_NAMES: Readonly<Record<number, string>> = {
  0: 'Success',
  128: 'Failure, reason unspecified',
  129: 'Administratively prohibited',
  130: 'Incorrect IPv4 home address',
  131: 'Invalid IPv4 address',
  132: 'Dynamic IPv4 home address assignment not available',
};

export const MNID_SUBTYPE_NAMES: Readonly<Record<number, string>> = { 1: 'Network Access Identifier (NAI)' };

export const MNG_SUBTYPE_NAMES: Readonly<Record<number, string>> = { 0: 'Reserved', 1: 'Bulk Binding Update Group' };

export const BE_STATUS_NAMES: Readonly<Record<number, string>> = {
  1: 'Unknown binding for Home Address destination option',
  2: 'Unrecognized MH type value',
};

export const FBACK_STATUS_NAMES: Readonly<Record<number, string>> = {
  0: 'Fast Binding Update accepted',
  1: 'Accepted but use supplied NCoA',
  128: 'Reason unspecified',
  129: 'Administratively prohibited',
  130: 'Insufficient resources',
  131: 'Incorrect interface identifier length',
};

export const BRI_TYPE_NAMES: Readonly<Record<number, string>> = { 1: 'Binding Revocation Indication', 2: 'Binding Revocation Acknowledge' };

export const BRI_TRIGGER_NAMES: Readonly<Record<number, string>> = {
  0: 'Unspecified',
  1: 'Administrative Reason',
  2: 'Inter-MAG Handover - same Access Type',
  3: 'Inter-MAG Handover - different Access Type',
  4: 'Inter-MAG Handover - Unknown',
  5: 'User Initiated Session(s) Termination',
  6: 'Access Network Session(s) Termination',
  7: 'Possible Out-of Sync BCE State',
  128: 'Per-Peer Policy',
  129: 'Revoking Mobility Node Local Policy',
};

export const BRI_STATUS_NAMES: Readonly<Record<number, string>> = {
  0: 'Success',
  1: 'Partial Success',
  2: 'Binding Does NOT Exist',
  3: 'IPv4 HoA Binding Does NOT Exist',
  4: 'Global Revocation NOT Authorized',
  5: 'CAN NOT Identify Binding',
  6: 'Revocation Failed, MN is Attached',
};

export const LRA_STATUS_NAMES: Readonly<Record<number, string>> = { 0: 'Success', 128: 'Localized Routing Not Allowed', 129: 'MN Not Attached' };

export const DNSU_STATUS_NAMES: Readonly<Record<number, string>> = {
  0: 'DNS update performed',
  128: 'Reason unspecified',
  129: 'Administratively prohibited',
  130: 'DNS Update Failed',
};

export const AUTH_SUBTYPE_NAMES: Readonly<Record<number, string>> = {
  0: 'Reserved (not available for assignment)',
  3: 'HMAC_SHA1_SPI',
  5: 'Reserved for use by 3GPP2',
};

export const LLA_OPTCODE_NAMES: Readonly<Record<number, string>> = { 2: 'Link Layer Address of the MN' };

/** 3GPP vendor-specific sub-types (3GPP TS 29.275; Wireshark mip6_vsm_subtype_3gpp_value[]). */
export const VSM_3GPP_SUBTYPE_NAMES: Readonly<Record<number, string>> = {
  1: 'Protocol Configuration Options',
  2: '3GPP Specific PMIPv6 Error Code',
  3: 'PMIPv6 PDN GW IP Address',
  4: 'PMIPv6 DHCPv4 Address Allocation Procedure Indication',
  5: 'PMIPv6 Fully Qualified PDN Connection Set Identifier',
  6: 'PMIPv6 PDN type indication',
  7: 'Charging ID',
  8: 'Selection Mode',
  9: 'I-WLAN Mobility Access Point Name (APN)',
  10: 'Charging Characteristics',
  11: 'Mobile Equipment Identity (MEI)',
  12: 'MSISDN',
  13: 'Serving Network',
  14: 'APN Restriction',
  15: 'Maximum APN Restriction',
  16: 'Unauthenticated IMSI',
  17: 'PDN Connection ID',
  18: 'PGW Back-Off Time',
  19: 'Signalling Priority Indication',
  20: 'Additional Protocol Configuration Options',
};

/** The SMI enterprise numbers a PMIPv6 capture usually carries (Vendor-Specific option). */
export const VENDOR_NAMES: Readonly<Record<number, string>> = {
  9: 'ciscoSystems',
  2011: 'HUAWEI Technology Co.,Ltd',
  5535: '3GPP2',
  10415: '3GPP',
  193: 'Ericsson AB',
  94: 'Nokia',
};
export const VENDOR_3GPP = 10415;

/** Payload Proto names for the values an MH normally carries (full table: IANA protocol numbers). */
export const IPPROTO_NAMES: Readonly<Record<number, string>> = {
  0: 'IPv6 Hop-by-Hop Option',
  4: 'IPIP',
  6: 'TCP',
  17: 'UDP',
  41: 'IPv6',
  43: 'Routing Header for IPv6',
  44: 'Fragment Header for IPv6',
  47: 'Generic Routing Encapsulation',
  50: 'Encap Security Payload',
  51: 'Authentication Header',
  58: 'ICMPv6',
  59: 'No Next Header for IPv6',
  60: 'Destination Options for IPv6',
  135: 'Mobility (IPv6)',
};

/** Checksum status values (Wireshark's PROTO_CHECKSUM_E_* numbering). */
export const CSUM_STATUS = { BAD: 0, GOOD: 1, UNVERIFIED: 2, NOT_PRESENT: 3, ILLEGAL: 4 } as const;
export const CSUM_STATUS_NAMES: Readonly<Record<number, string>> = {
  0: 'Bad',
  1: 'Good',
  2: 'Unverified',
  3: 'Not present (zero over UDP, RFC 5844)',
  4: 'Illegal (must be zero over UDP, RFC 5844)',
};

/** Name of a value in a table, or "Unknown (n)". Slow path (allocates): tree and reports only. */
export function nameOf(table: Readonly<Record<number, string>>, v: number): string {
  return table[v] ?? `Unknown (${v})`;
}
