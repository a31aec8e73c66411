/**
 * The session correlator's vocabulary: the small typed events it is fed (one per PBU/PBA, one
 * per tunnelled data frame), the binding model (RFC 5213 §5.1 binding cache entry + the four
 * RFC 5845 §5.1 fields), and the listener interface the linter's pair/session rules use.
 *
 * Events are produced from dissected frames by src/sessions/extract.ts, or built by hand in
 * tests (`signalling()` / `DataEvent.of()` in ./events.ts).
 */

/** Outer transport network of a binding (RFC 5213 IPv6; RFC 5844 §2.2 IPv4 / IPv4-UDP). */
export type Transport = 'ipv6' | 'ipv4' | 'ipv4-udp';
/** GRE mode negotiated by the last successful PBU/PBA (RFC 5845 §3): option absent, Length 2, Length 6. */
export type GreMode = 'none' | 'gre-only' | 'keys';
export type BindingState = 'pending' | 'active' | 'rejected' | 'deregistered' | 'expired';
/** What a PBU asks for (RFC 5213 §5.3; lint-rules.md §0 "message kind"). */
export type MessageKind = 'initial' | 'lifetime-extension' | 'handoff' | 'deregistration';
/** One line of a binding's history. */
export type HistoryKind = MessageKind | 'rejected' | 'expired' | 'unanswered';
export type Direction = 'uplink' | 'downlink';

/** Direction codes used on the hot path and in the `gretool.direction` field. */
export const DIR_NONE = 0;
export const DIR_UP = 1; // MAG → LMA
export const DIR_DOWN = 2; // LMA → MAG

/** Why a tunnelled data frame was not attributed to a binding. */
export type UnattributedReason =
  | 'no-binding'      // no binding (live or past) between these tunnel endpoints
  | 'unknown-key'     // the endpoints have bindings, but none uses this key in this direction
  | 'wrong-direction' // the key is a live binding's key of the other direction
  | 'stale-binding'   // the key / inner address belonged to a binding that expired, was de-registered or moved (handoff)
  | 'ambiguous';      // no key, and the inner address matches several live bindings (RFC 5845 Fig. 1 without keys)

export const REASONS: readonly UnattributedReason[] = ['no-binding', 'unknown-key', 'wrong-direction', 'stale-binding', 'ambiguous'];
export const R_NO_BINDING = 0;
export const R_UNKNOWN_KEY = 1;
export const R_WRONG_DIRECTION = 2;
export const R_STALE = 3;
export const R_AMBIGUOUS = 4;

/** Data-plane encapsulation of a tunnelled frame (RFC 5844 §2.2 / RFC 5845 §7 names). */
export const ENCAP_GRE = 1;      // IPv6/GRE or IPv4/GRE
export const ENCAP_IPIP = 2;     // IPv6-in-IPv6, IPv4-in-IPv6, IPv4/IPv6-in-IPv4 (RFC 5213 / RFC 5844 IPv4 mode)
export const ENCAP_UDP = 3;      // IPv4/UDP/inner IP (RFC 5844 IPv4-UDP mode)
export const ENCAP_UDP_TLV = 4;  // IPv4/UDP/TLV[/GRE]/inner (RFC 5845 §7 IPv4-UDP-TLV mode)
export const ENCAP_NAMES: Readonly<Record<number, string>> = { 1: 'gre', 2: 'ip-in-ip', 3: 'udp', 4: 'udp-tlv' };

export interface HomePrefix {
  prefix: string; // canonical IPv6 text
  len: number;
}

/**
 * One PBU or PBA, as read from the wire. Allocated per signalling message (they are rare next
 * to data frames). Absent options are `null` / -1 / empty.
 */
export interface SignallingEvent {
  type: 'pbu' | 'pba';
  frame: number;
  tsSec: number;
  tsNsec: number;
  /** Outer IP addresses of the message (IPv6 transport; or the IPv4 header for RFC 5844 UDP carriage). */
  src: string;
  dst: string;
  ipVersion: 4 | 6;
  /** RFC 5844 §4: MH carried in IPv4/UDP. Ports are 0 otherwise. */
  udp: boolean;
  sport: number;
  dport: number;
  seq: number;
  /** Raw Lifetime field (units of 4 s; RFC 6275 §6.1.7/§6.1.8). PBU 0 = de-registration. */
  lifetime: number;
  /** PBA Status (RFC 6275 §6.1.8); -1 for a PBU. */
  status: number;
  /** Flags: PBU A/H/P/F/T (MH+8), PBA P/T (MH+7); false when not applicable. */
  aFlag: boolean;
  hFlag: boolean;
  pFlag: boolean;
  fFlag: boolean;
  tFlag: boolean;
  /** Mobile Node Identifier option (RFC 4283), the identifier as text; null when absent. */
  mnId: string | null;
  /**
   * A decoder's small id for `mnId` (the signalling fast path's: the same id for the same
   * identifier text, as long as its table holds it), so that the correlator finds the MN
   * identity without hashing the text. Absent or -1: none. Not part of the message.
   */
  mnIdRef?: number;
  /** First GRE Key option (RFC 5845 §6.1): its Length (2, 6 or anything else), -1 when absent. */
  greKeyLen: number;
  /** Its key identifier when Length is 6, else null. Compared as a number. */
  greKey: number | null;
  /** Number of GRE Key options in the message (P-GREKEY-DUPLICATE). */
  greKeyCount: number;
  /** Home Network Prefix options (RFC 5213 §8.3). */
  hnp: HomePrefix[];
  /** Handoff Indicator (RFC 5213 §8.4), -1 when absent. */
  hi: number;
  /** Access Technology Type (RFC 5213 §8.5), -1 when absent. */
  att: number;
  /** IPv4 Home Address Request (PBU) / Reply (PBA) address (RFC 5844 §3.3.1/§3.3.2); null when absent. */
  ipv4Hoa: string | null;
  /** IPv4 Home Address Reply status, -1 when absent. */
  ipv4HoaStatus: number;
}

/** The negotiated state of a binding, as a snapshot (listeners get the state before a change). */
export interface NegotiatedState {
  state: BindingState;
  mag: string;
  transport: Transport;
  greMode: GreMode;
  downlinkKey: number | null;
  uplinkKey: number | null;
  tlv: boolean;
  /** Status of the last successful PBA (0, 1, 2, 3, …), -1 before the first. */
  lastSuccessStatus: number;
  /** Granted lifetime in seconds. */
  lifetime: number;
}

export interface HistoryEntry {
  /** Frame that made the change: the PBA (pairs), the PBU (unanswered); null for expiry. */
  frame: number | null;
  kind: HistoryKind;
  /** Epoch seconds of that frame (expiry: the moment the lifetime ran out). */
  time: number;
  /** PBA status, null for unanswered/expired. */
  status: number | null;
  /** Status name for rejections (e.g. GRE_KEY_OPTION_REQUIRED). */
  reason?: string;
  /** The PBU of the pair. */
  pbuFrame?: number;
  /** For rejections and unanswered PBUs: what the PBU attempted. */
  attempted?: MessageKind;
  /** MAG (Proxy-CoA) of the PBU. */
  mag?: string;
  /** Handoffs: the MAG before the move. */
  previousMag?: string;
  /** Keys/lifetime granted by a successful pair. */
  downlinkKey?: number | null;
  uplinkKey?: number | null;
  lifetime?: number;
  /** Handoff Indicator of the PBU, when present. */
  hi?: number;
}

export interface TrafficStats {
  frames: number;
  bytes: number;
  firstFrame: number | null;
  lastFrame: number | null;
  /** GRE sequence numbers (RFC 2890 §2.2), per direction: discontinuities and numbers skipped. */
  seqGaps: number;
  seqMissing: number;
  /** Sequence numbers not after the last one (serial comparison): duplicates and reordering. */
  seqReordered: number;
}

/** Read-only view of a binding, as listeners and reports see it. */
export interface BindingView extends NegotiatedState {
  readonly id: number;
  readonly mnId: string;
  readonly lma: string;
  readonly hnp: readonly HomePrefix[];
  readonly ipv4HomeAddress: string | null;
  readonly history: readonly HistoryEntry[];
  readonly uplink: TrafficStats;
  readonly downlink: TrafficStats;
  readonly firstFrame: number;
  readonly lastFrame: number;
  /** Epoch seconds at which the granted lifetime runs out (active bindings), else NaN. */
  readonly expiresAt: number;
  /** Handoff Indicator / Access Technology Type of the last accepted PBU (-1 unknown). */
  readonly hi: number;
  readonly att: number;
}

/** A PBU as the correlator classified it on arrival. */
export interface PbuOutcome {
  pbu: SignallingEvent;
  binding: BindingView;
  kind: MessageKind;
  /** The binding's negotiated state when the PBU arrived (null if the binding is new). */
  previous: NegotiatedState | null;
  /** Set when this PBU repeats a pending one (same addresses, ports, sequence number, MN-ID). */
  retransmissionOf: number | null;
  /** True when this PBU created its binding. */
  created: boolean;
}

/** A completed PBU↔PBA pair (lint-rules.md §0). */
export interface PairOutcome {
  pbu: SignallingEvent;
  pba: SignallingEvent;
  /** Later copies of the PBU with the same sequence number (retransmissions). */
  retransmissions: readonly number[];
  binding: BindingView;
  /** What the PBU asked for, classified when the PBA arrived. */
  kind: MessageKind;
  accepted: boolean;
  /** PBA time − PBU time, in nanoseconds. */
  responseNs: number;
  /** The binding's negotiated state before this pair was applied (null if it had none). */
  previous: NegotiatedState | null;
}

export type BindingChangeType =
  | 'created'       // first PBU for an MN at an LMA (state pending)
  | 'registered'    // accepted initial registration (state active)
  | 'extended'      // accepted lifetime extension from the same MAG
  | 'handoff'       // accepted registration from a new MAG (previous MAG in `previous.mag`)
  | 'rejected'      // PBA status >= 128
  | 'deregistered'  // accepted de-registration
  | 'expired';      // the granted lifetime ran out without renewal

export interface BindingChange {
  type: BindingChangeType;
  binding: BindingView;
  previous: NegotiatedState | null;
  /** The pair that caused it (absent for 'created' and 'expired'). */
  pair?: PairOutcome;
  /** The frame that caused it, null for expiry. */
  frame: number | null;
}

/**
 * Result of feeding one data frame. The object is reused for every frame: read it inside the
 * call, copy what you keep.
 */
export interface DataResult {
  /** The binding the frame belongs to, or null (looked up on reading: the correlator's hot path only sets bindingId). */
  readonly binding: BindingView | null;
  /** Its id (`binding.id`), 0 when binding is null: the hot paths read it without touching the binding. */
  bindingId: number;
  /** DIR_UP / DIR_DOWN (by the tunnel endpoints), DIR_NONE when the endpoints are unknown. */
  direction: number;
  /** When binding is null: R_* reason code (index into REASONS); -1 when attributed. */
  reason: number;
  /** When binding is null: the binding the frame probably concerns (inner address or stale key), else null. */
  candidate: BindingView | null;
}

/**
 * Listener interface (the linter's pair/session rules subscribe here). Every method is
 * optional and is called synchronously, in capture order, while the correlator processes the
 * frame. Objects passed are live views: do not mutate them. `DataResult` and `DataEvent` are
 * reused per frame.
 */
export interface SessionListener {
  /** Every PBU, after classification and before any PBA for it. */
  onPbu?(o: PbuOutcome): void;
  /** A PBA matched its PBU; called before the binding change it causes. */
  onPair?(o: PairOutcome): void;
  /** A PBA with no pending PBU (no match on seq, MN-ID, reversed addresses and UDP port). */
  onUnsolicitedPba?(pba: SignallingEvent, candidate: BindingView | null): void;
  /** A binding's state changed (see BindingChangeType). */
  onBinding?(c: BindingChange): void;
  /** Every tunnelled data frame, attributed (r.binding set) or not. */
  onData?(ev: import('./events.js').DataEvent, r: DataResult): void;
  /** End of input: every PBU still unanswered, in capture order. */
  onUnansweredPbu?(pbu: SignallingEvent, binding: BindingView): void;
  /** After all unanswered PBUs were reported. */
  onFinish?(): void;
}
