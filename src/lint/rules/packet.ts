/**
 * Packet-scope rules (lint-rules.md §1, §2 and the packet rules of §4): metadata only. Detection
 * lives in the dissectors, which raise an expert item with `rule: '<id>'` on the frame; the
 * linter collects those (src/lint/engine.ts). A test checks that every id here is raised by some
 * registered expert item and that the expert's severity matches the default below.
 */
import { defineExpertRule as r, type ExpertRule } from '../rule.js';

export const PACKET_RULES: readonly ExpertRule[] = [
  // ---------------------------------------------------------------- §1 PBU / PBA
  r({
    id: 'P-GREKEY-BAD-LEN', severity: 'error', scope: 'packet', refs: [{ rfc: 5845, section: '6.1' }],
    summary: 'GRE Key option (type 33) with a Length other than 2 or 6',
    explanation: 'RFC 5845 defines the GRE Key option with Length 2 (GRE encapsulation only, no key) or Length 6 (a 32-bit key follows). Any other Length has no defined meaning: peers disagree on whether a key was sent, and Wireshark silently shows the option without its key.',
    fix: 'Send Length 2 to ask for GRE only, or Length 6 followed by the 32-bit GRE Key Identifier.',
  }),
  r({
    id: 'P-GREKEY-RESERVED-NONZERO', severity: 'warning', scope: 'packet', refs: [{ rfc: 5845, section: '6.1', note: 'N34' }],
    summary: 'GRE Key option Reserved field is not zero',
    explanation: 'The 16-bit Reserved field after the option Length MUST be sent as zero and ignored on receipt. A non-zero value is a sender bug; receivers still have to accept the option.',
    fix: 'Initialise the Reserved field of the GRE Key option to 0 when building the PBU/PBA.',
  }),
  r({
    id: 'P-GREKEY-MISALIGNED', severity: 'warning', scope: 'packet', refs: [{ rfc: 5845, section: '6.1' }, { rfc: 2460, section: '4.2' }],
    summary: 'GRE Key option does not start on a 4-octet boundary of the Mobility Header (alignment 4n)',
    explanation: 'The option\'s alignment requirement is 4n: its Type octet must sit at an offset from the start of the Mobility Header that is a multiple of 4, so the 32-bit key lands on its natural boundary.',
    fix: 'Insert Pad1/PadN options before the GRE Key option so that it starts at MH+4n (placed first, right after the fixed PBU/PBA fields at MH+12, it needs no padding).',
  }),
  r({
    id: 'P-GREKEY-DUPLICATE', severity: 'warning', scope: 'packet', refs: [{ rfc: 5845, section: '6.1', note: 'one key per message' }],
    summary: 'More than one GRE Key option in one message',
    explanation: 'A PBU carries one downlink key and a PBA one uplink key. With several GRE Key options it is undefined which key applies; peers may pick different ones and tunnel traffic with a key the other side does not expect.',
    fix: 'Send exactly one GRE Key option per PBU/PBA.',
  }),
  r({
    id: 'P-GREKEY-WRONG-MSG', severity: 'warning', scope: 'packet', refs: [{ rfc: 5845, section: '6.1' }],
    summary: 'GRE Key option in a message other than a Proxy Binding Update/Acknowledgement',
    explanation: 'The GRE Key option is defined for the PBU and the PBA only: a Mobility Header of another type, or a BU/BA with the Proxy (P) flag cleared, is not a proxy registration and the option has no defined meaning there.',
    fix: 'Only send the GRE Key option in PBU/PBA messages (P flag set).',
  }),
  r({
    id: 'P-PBA-S2-HAS-GREKEY', severity: 'error', scope: 'packet', refs: [{ rfc: 5845, section: '5.2', note: 'N32' }],
    summary: 'PBA with status 2 (GRE_KEY_OPTION_NOT_REQUIRED) carries a GRE Key option',
    explanation: 'Status 2 tells the MAG that GRE is not needed for this session; the LMA MUST NOT include the GRE Key option in that PBA. Carrying one contradicts the status and leaves the MAG unsure whether to use GRE.',
    fix: 'LMA: omit the GRE Key option when answering with status 2.',
  }),
  r({
    id: 'P-PBA-S3-T-SET', severity: 'error', scope: 'packet', refs: [{ rfc: 5845, section: '7.3' }],
    summary: 'PBA with status 3 (GRE_TUNNELING_BUT_TLV_HEADER_NOT_SUPPORTED) has the T flag set',
    explanation: 'Status 3 says that GRE was accepted but the TLV-header format was not; such a PBA has the T flag cleared. T = 1 with status 3 contradicts itself.',
    fix: 'LMA: clear the T flag (0x10 at MH+7) in a status-3 PBA.',
  }),
  r({
    id: 'P-PBA-S3-NO-GREKEY', severity: 'warning', scope: 'packet', refs: [{ rfc: 5845, section: '6.4', note: 'N27/N28' }],
    summary: 'PBA with status 3 (GRE tunnelling accepted) without a GRE Key option',
    explanation: 'Status 3 means GRE encapsulation was negotiated, so the PBA should carry the GRE Key option (with the uplink key when the PBU had a downlink key). Without it the MAG has no uplink key. The pair rule S-PBA-S3-NO-GREKEY confirms it against the PBU.',
    fix: 'LMA: include the GRE Key option (with the uplink key if the PBU carried a key) in a status-3 PBA.',
  }),
  r({
    id: 'P-PBA-REJECT-HAS-GREKEY', severity: 'info', scope: 'packet', refs: [{ rfc: 5845, section: '6.1', note: 'not forbidden; semantic oddity' }],
    summary: 'Rejecting PBA (status >= 128) carries a GRE Key option with a key',
    explanation: 'A rejected registration creates no binding, yet the PBA hands out an uplink key. Not forbidden by the RFC, but a sign that the LMA allocated a key it will not use (or leaks state).',
    fix: 'LMA: do not allocate or send an uplink GRE key when rejecting a PBU.',
  }),
  r({
    id: 'P-PBU-T-NO-GREKEY', severity: 'warning', scope: 'packet', refs: [{ rfc: 5845, section: '4.1' }, { rfc: 5845, section: '7.3', note: 'N43' }],
    summary: 'PBU with the T flag set and no GRE Key option',
    explanation: 'The TLV-header format is only used when UDP tunnelling and GRE are both enabled: the T flag asks for TLV framing of GRE in UDP. Without the GRE Key option no GRE is requested, so T has no effect.',
    fix: 'MAG: include the GRE Key option when setting T, or clear T when GRE is not wanted.',
  }),
  r({
    id: 'P-PBA-T-NO-GREKEY', severity: 'info', scope: 'packet', refs: [{ rfc: 5845, section: '7.3', note: 'N44' }],
    summary: 'Successful PBA with the T flag set and no GRE Key option',
    explanation: 'The MAG switches to the TLV format only when a successful PBA has T set and includes the GRE Key option. T without the option means TLV mode does not come into force, which the LMA may not have intended.',
    fix: 'LMA: include the GRE Key option together with T, or clear T.',
  }),
  r({
    id: 'P-T-OVER-IPV6', severity: 'info', scope: 'packet', refs: [{ rfc: 5845, section: '6.2' }, { rfc: 5845, section: '6.3' }],
    summary: 'T flag set in a PBU/PBA carried over IPv6',
    explanation: 'The TLV-header format is for encapsulating IPv6 or IPv4 packets in IPv4 (UDP). Over an IPv6 transport the flag has no use.',
    fix: 'Set T only in PBU/PBA messages sent over IPv4/UDP (RFC 5844).',
  }),
  r({
    id: 'P-PBU-DEREG-HAS-GREKEY', severity: 'warning', severityNote: 'low confidence: without the session history the key may be legitimate', scope: 'packet', refs: [{ rfc: 5845, section: '4.2', note: 'N24' }],
    summary: 'De-registration PBU (Lifetime 0) carries a GRE Key option',
    explanation: 'A MAG that negotiated GRE keys SHOULD NOT include the GRE Key option in the de-registration PBU. Seen from one packet this is low-confidence; S-MAG-DEREG-HAS-GREKEY confirms it against the session.',
    fix: 'MAG: omit the GRE Key option from de-registration PBUs.',
  }),
  // ---------------------------------------------------------------- §2 data plane
  r({
    id: 'P-UDP-GRE-WITHOUT-TLV', severity: 'error', scope: 'packet', refs: [{ rfc: 5845, section: '7.1', note: 'N35' }],
    summary: 'GRE carried directly in UDP without the TLV header',
    explanation: 'When UDP tunnelling is combined with GRE, the TLV-header format (IPv4 | UDP | TLV | GRE | payload) MUST be used. A bare GRE header after UDP cannot be told apart from other payloads by the receiver\'s first-nibble demultiplexing.',
    fix: 'Insert the 4-octet TLV header (Type 0, Next Header 47, Length) between the UDP and GRE headers.',
  }),
  r({
    id: 'P-UDP-PAYLOAD-UNKNOWN', severity: 'warning', scope: 'packet', refs: [{ rfc: 5845, section: '7.1' }],
    summary: 'PMIPv6 data-port UDP payload that is neither TLV, IPv4, IPv6 nor GRE',
    explanation: 'After the UDP header the receiver demultiplexes on the first nibble: 0 = TLV header, 4 = IPv4, 6 = IPv6. Any other value (including a TLV Type other than 0) cannot be processed.',
    fix: 'Send a TLV header with Type 0, or a plain IPv4/IPv6 packet, after the UDP header.',
  }),
  r({
    id: 'P-TLV-LEN-MISMATCH', severity: 'error', scope: 'packet', refs: [{ rfc: 5845, section: '7.1', note: 'N36' }],
    summary: 'TLV Length disagrees with the UDP length (UDP Length - 8 - 4)',
    explanation: 'The TLV Length counts the octets after the TLV header. When it differs from what the UDP Length implies, the receiving node MUST discard the packet: this traffic is lost.',
    fix: 'Set TLV Length = UDP Length - 8 (UDP header) - 4 (TLV header).',
  }),
  r({
    id: 'P-TLV-RESERVED-NONZERO', severity: 'warning', scope: 'packet', refs: [{ rfc: 5845, section: '7.2', note: 'N42' }],
    summary: 'TLV header Reserved bits are not zero',
    explanation: 'The 4 reserved bits (low nibble of the first TLV octet) MUST be sent as zero and ignored by the receiver.',
    fix: 'Clear the low nibble of the TLV header\'s first octet.',
  }),
  r({
    id: 'P-TLV-NH-NOT-GRE', severity: 'info', scope: 'packet', refs: [{ rfc: 5845, section: '7.1' }, { rfc: 5845, section: '4.1' }],
    summary: 'TLV Next Header is not GRE (47)',
    explanation: 'The TLV format allows any next header, but RFC 5845 negotiation only yields TLV framing together with GRE; a TLV header in front of plain IP suggests the GRE header was left out.',
    fix: 'Put the GRE header (with the negotiated key) after the TLV header, Next Header 47.',
  }),
  r({
    id: 'P-TLV-NH-MISMATCH', severity: 'error', scope: 'packet', refs: [{ rfc: 5845, section: '7.2' }],
    summary: 'TLV Next Header does not match what follows',
    explanation: 'Next Header names the protocol after the TLV header (47 GRE, 4 IPv4, 41 IPv6). Here the following octets are not a valid header of that protocol, so the receiver would misparse the packet.',
    fix: 'Set Next Header to the protocol number of the header that actually follows.',
  }),
  r({
    id: 'W-TLV-ON-5436', severity: 'info', scope: 'packet', refs: [{ rfc: 5844, section: '4' }, { rfc: 5845, section: '7.1' }],
    summary: 'TLV-framed data on the signalling port 5436',
    explanation: 'RFC 5844 carries data on UDP 5437 and signalling on 5436; RFC 5845 §7.1 allows PBUs and data to share one UDP tunnel, so this is legal, but Wireshark decodes such packets as malformed Mobility Headers.',
    fix: 'Prefer the data port 5437 for tunnelled traffic.',
  }),
  // ---------------------------------------------------------------- §4 Mobility Header
  r({
    id: 'P-MH-PAYLOAD-PROTO', severity: 'error', scope: 'packet', refs: [{ rfc: 6275, section: '9.2' }],
    summary: 'Mobility Header Payload Proto is not 59 (IPPROTO_NONE)',
    explanation: 'A receiver MUST discard a Mobility Header whose Payload Proto field is not 59: the PBU/PBA is lost.',
    fix: 'Set the Payload Proto octet (MH+0) to 59.',
  }),
  r({
    id: 'P-MH-HDRLEN', severity: 'error', scope: 'packet', refs: [{ rfc: 6275, section: '6.1.1' }, { rfc: 6275, section: '9.2' }],
    summary: 'Mobility Header Header Len exceeds the packet or is below the minimum for the message type',
    explanation: 'The MH is (Header Len + 1) x 8 octets. A length past the end of the packet, or shorter than the fixed part of the message (16 octets for BU/BA), makes the message malformed and it is discarded.',
    fix: 'Compute Header Len from the actual MH length (a multiple of 8 octets, padded).',
  }),
  r({
    id: 'P-MH-OPT-OVERRUN', severity: 'error', scope: 'packet', refs: [{ rfc: 6275, section: '6.2.1' }],
    summary: 'A mobility option\'s Length runs past the end of the Mobility Header',
    explanation: 'The option list is malformed: receivers stop parsing options (Wireshark reports "option goes past end of options") and the message is likely discarded.',
    fix: 'Set each option Length to the number of octets after its Type and Length octets, and keep options inside the MH.',
  }),
  r({
    id: 'P-MH-CKSUM-BAD', severity: 'error', scope: 'packet', refs: [{ rfc: 6275, section: '6.1.1' }, { rfc: 6275, section: '9.2' }],
    summary: 'Mobility Header checksum is wrong (IPv6 transport)',
    explanation: 'The MH checksum covers the IPv6 pseudo-header (Next Header 135) and the whole MH. A wrong checksum makes receivers silently discard the PBU/PBA.',
    fix: 'Recompute the checksum over the pseudo-header and the MH with the checksum field set to 0.',
  }),
  r({
    id: 'P-MH-CKSUM-NONZERO-UDP', severity: 'warning', scope: 'packet', refs: [{ rfc: 5844, section: '4.1.3.2' }, { rfc: 5844, section: '4.2.2.1' }],
    summary: 'Mobility Header over IPv4/UDP with a non-zero checksum',
    explanation: 'Over IPv4/UDP the sender MUST put 0 in the MH checksum and rely on the UDP checksum; the receiver ignores the MH checksum.',
    fix: 'Set the MH checksum to 0 when the MH is carried in UDP over IPv4.',
  }),
  r({
    id: 'P-MH-RESERVED-NONZERO', severity: 'warning', scope: 'packet', refs: [{ rfc: 6275, section: '6.1.1' }],
    summary: 'Mobility Header Reserved octet (MH+3) is not zero',
    explanation: 'The Reserved octet MUST be sent as zero and is ignored by receivers.',
    fix: 'Clear MH+3.',
  }),
  r({
    id: 'P-BU-RESERVED-FLAGS', severity: 'info', scope: 'packet', refs: [{ rfc: 6275, section: '6.1.7' }, { rfc: 6602, section: '' }],
    summary: 'Binding Update reserved flag bits (0x003F) are set',
    explanation: 'The bits after A H L K M R P F T B are unassigned (as of RFC 6602) and must be sent as zero. IANA may assign them later, so this is informational.',
    fix: 'Clear the unassigned flag bits of the BU flags word.',
  }),
  r({
    id: 'P-BA-RESERVED-FLAGS', severity: 'info', scope: 'packet', refs: [{ rfc: 6275, section: '6.1.8' }],
    summary: 'Binding Acknowledgement reserved flag bits (0x07) are set',
    explanation: 'The bits after K R P T B are reserved and must be sent as zero.',
    fix: 'Clear the reserved bits of the BA flags octet.',
  }),
  r({
    id: 'P-B-WITHOUT-P', severity: 'error', scope: 'packet', refs: [{ rfc: 6602, section: '4.1' }, { rfc: 6602, section: '4.2' }],
    summary: 'Bulk (B) flag set while the Proxy (P) flag is clear',
    explanation: 'Bulk binding updates are defined for proxy registrations only: B MUST be 0 when P is 0, in a BU as in a BA.',
    fix: 'Clear B, or send a proxy registration (P = 1).',
  }),
  r({
    id: 'P-PADN-NONZERO', severity: 'info', scope: 'packet', refs: [{ rfc: 6275, section: '6.2.3' }],
    summary: 'PadN option carries non-zero octets',
    explanation: 'PadN padding octets are sent as zero; receivers ignore them, so this is only a sign of a careless encoder (or of data leaking into padding).',
    fix: 'Fill PadN options with zero octets.',
  }),
  r({
    id: 'G-VERSION-NONZERO', severity: 'error', scope: 'packet', refs: [{ rfc: 2784, section: '2.3.1' }],
    summary: 'GRE Version is not 0 in a PMIPv6 tunnel',
    explanation: 'GRE as used by RFC 5845 is version 0 (RFC 2784); version 1 is PPTP\'s enhanced GRE. Receivers discard other versions.',
    fix: 'Set the GRE Version bits (0x0007) to 0.',
  }),
  r({
    id: 'G-RFC1701-ROUTING', severity: 'error', scope: 'packet', refs: [{ rfc: 2784, section: '2.3' }, { rfc: 2784, section: '5' }],
    summary: 'GRE Routing (R) bit set (RFC 1701)',
    explanation: 'RFC 2784 removed source routing: an RFC 2784 receiver MUST discard a packet with the R bit (0x4000) set.',
    fix: 'Clear the R bit and drop the Routing field.',
  }),
  r({
    id: 'G-RFC1701-SSR', severity: 'error', scope: 'packet', refs: [{ rfc: 2784, section: '2.3' }],
    summary: 'GRE Strict Source Route (s) bit set (RFC 1701)',
    explanation: 'Bit 4 (0x0800) is Reserved0 in RFC 2784: a receiver that does not implement RFC 1701 MUST discard the packet.',
    fix: 'Clear the s bit.',
  }),
  r({
    id: 'G-RFC1701-RECUR', severity: 'error', severityNote: 'error if 0x0400 is set (the packet is discarded), else warning', variableSeverity: true, scope: 'packet', refs: [{ rfc: 2784, section: '2.3' }],
    summary: 'GRE Recursion Control (0x0700) is not 0',
    explanation: 'These bits are Reserved0 in RFC 2784: bit 5 (0x0400) set makes an RFC 2784 receiver discard the packet; bits 6-7 must be sent as 0 and are ignored.',
    fix: 'Clear the Recursion Control bits.',
  }),
  r({
    id: 'G-RESERVED0-6-12', severity: 'warning', scope: 'packet', refs: [{ rfc: 2784, section: '2.3' }],
    summary: 'GRE Reserved0 bits 6-12 (0x03F8) are not 0',
    explanation: 'These bits MUST be sent as zero and are ignored on receipt.',
    fix: 'Clear GRE flag bits 6-12.',
  }),
  r({
    id: 'G-RESERVED1-NONZERO', severity: 'warning', scope: 'packet', refs: [{ rfc: 2784, section: '2.6' }],
    summary: 'GRE Reserved1 (the word after the checksum) is not 0',
    explanation: 'Reserved1 is present when C is set and MUST be transmitted as zero (RFC 1701 called it Offset).',
    fix: 'Send Reserved1 as 0.',
  }),
  r({
    id: 'G-CKSUM-BAD', severity: 'error', scope: 'packet', refs: [{ rfc: 2784, section: '2.5' }],
    summary: 'GRE checksum is wrong',
    explanation: 'With C set, the checksum covers the GRE header and payload; a wrong one makes the receiver discard the packet.',
    fix: 'Recompute the one\'s-complement checksum over the GRE header and payload with the checksum field set to 0.',
  }),
  r({
    id: 'G-PROTO-UNEXPECTED', severity: 'warning', scope: 'packet', refs: [{ rfc: 2784, section: '2.4' }, { rfc: 5845, section: '7.1' }],
    summary: 'GRE Protocol Type is neither IPv4 (0x0800) nor IPv6 (0x86DD) in a PMIPv6 tunnel',
    explanation: 'A PMIPv6 GRE tunnel carries the mobile node\'s IPv4 or IPv6 packets; any other payload type will not be forwarded by the peer.',
    fix: 'Set the Protocol Type to the EtherType of the payload (0x0800 or 0x86DD).',
  }),
];
