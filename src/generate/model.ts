/**
 * The scenario model: what a scenario file (scenarios/*.yaml, or a user's YAML/JSON file)
 * becomes after validation. Times are integer nanoseconds from the scenario start.
 */

export type Transport = 'ipv6' | 'ipv4-udp';
/** What the MAG asks for: GRE with keys (option Length 6), GRE only (Length 2), or nothing. */
export type GreMode = 'keys' | 'gre-only' | 'none';
/** LMA policy for the GRE Key option (RFC 5845 §5.2 and its "policy check"). */
export type LmaGrePolicy = 'accept' | 'require' | 'not-required' | 'ignore';
export type LinkKind = 'ethernet' | 'raw' | 'sll';
export type Direction = 'both' | 'uplink' | 'downlink';
export type FlowProto = 'udp' | 'tcp' | 'icmp';

/** Where a definition came from in its file (for messages). */
export interface Pos {
  line: number;
  col: number;
}

export interface DataOptions {
  /** Send GRE with the Checksum present (RFC 2784 C bit). */
  greChecksum: boolean;
  /** Send GRE with Sequence Numbers (RFC 2890 S bit). */
  greSequence: boolean;
}

export interface MagDef extends DataOptions {
  name: string;
  role: 'mag';
  ipv6?: string;
  ipv4?: string;
  mac?: string;
  transport: Transport;
  gre: GreMode;
  /** Over IPv4 transport with GRE: ask for the TLV-header UDP format (T flag, RFC 5845 §7.3). */
  tlv: boolean;
  /** RFC 5844 ForceIPv4UDPEncapsulationSupport: the F flag. */
  forceUdp: boolean;
  /** Resend the PBU with the GRE Key option after status 163 (RFC 5845 §4.2). */
  retryOn163: boolean;
  pos: Pos;
}

export interface LmaDef extends DataOptions {
  name: string;
  role: 'lma';
  ipv6?: string;
  ipv4?: string;
  mac?: string;
  gre: LmaGrePolicy;
  /** Supports the TLV-header format (sets T in the PBA; otherwise status 3). */
  tlv: boolean;
  /** Longest lifetime granted, seconds. */
  maxLifetime: number;
  pos: Pos;
}

export type NodeDef = MagDef | LmaDef;

export interface MobileNodeDef {
  name: string;
  /** Mobile Node Identifier (NAI, RFC 4283). */
  id: string;
  operator?: string;
  /** Home network prefix and its length. */
  hnp: string;
  hnpLength: number;
  /** Interface identifier used inside the prefix for the MN's IPv6 address. */
  iid: string;
  ipv4?: string;
  ipv4PrefixLength: number;
  ipv4Router?: string;
  lma: string;
  att: number;
  /** Correspondent nodes for the inner traffic. */
  cn4: string;
  cn6: string;
  pos: Pos;
}

export interface ResponseDef {
  status?: number;
  ulKey?: number;
  /** What the PBA carries: the GRE Key option with a key, without one (Length 2), or none. */
  grekey?: 'key' | 'no-key' | 'none';
  t?: boolean;
  lifetime?: number;
}

/** Per-event header-field overrides, keyed by Wireshark field name ("inner." for the tunnelled packet). */
export interface Overrides {
  pbu?: Record<string, unknown>;
  pba?: Record<string, unknown>;
  uplink?: Record<string, unknown>;
  downlink?: Record<string, unknown>;
}

interface EventBase {
  at: number;
  mn: string;
  overrides: Overrides;
  faults: string[];
  pos: Pos;
}

export interface RegistrationFields {
  gre?: GreMode;
  tlv?: boolean;
  transport?: Transport;
  dlKey?: number;
  /** Requested lifetime, seconds. */
  lifetime?: number;
  response?: ResponseDef;
}

export interface AttachEvent extends EventBase, RegistrationFields {
  kind: 'attach';
  mag: string;
  hi?: number;
}

export interface ReregisterEvent extends EventBase, RegistrationFields {
  kind: 'reregister';
}

export interface HandoffEvent extends EventBase, RegistrationFields {
  kind: 'handoff';
  mag: string;
  hi?: number;
}

export interface DetachEvent extends EventBase {
  kind: 'detach';
  response?: ResponseDef;
}

export interface FlowDef {
  proto: FlowProto;
  ip: 4 | 6;
  direction: Direction;
  /** Packets per second per direction. */
  rate: number;
  /** Rounds (one packet each way per round, TCP adds its handshake). */
  count: number;
  /** Inner IP packet sizes, used in turn. */
  sizes: number[];
  /** Correspondent port (UDP/TCP). */
  port: number;
}

export interface TrafficEvent extends EventBase {
  kind: 'traffic';
  flows: FlowDef[];
}

export type ScenarioEvent = AttachEvent | ReregisterEvent | HandoffEvent | DetachEvent | TrafficEvent;

export interface Scenario {
  name: string;
  description: string;
  /** RFC sections the scenario shows. */
  rfc: string;
  /** Where it was read from. */
  source: string;
  nodes: Map<string, NodeDef>;
  mobileNodes: Map<string, MobileNodeDef>;
  timeline: ScenarioEvent[];
  /** PBU → PBA delay, ns. */
  rtt: number;
  /** Delay before a MAG retries after status 163, ns. */
  retryDelay: number;
  /** Default requested lifetime, seconds. */
  lifetime: number;
}
