/**
 * Frame specs of the PMIPv6 messages and tunnelled data the generator writes: PBU/PBA with the
 * options RFC 5213 / 5844 / 5845 put in them, over IPv6 (RFC 5213) or IPv4/UDP 5436 (RFC 5844
 * §4, IPv6 header removed, MH checksum 0), and data in each tunnel mode: IPv6/GRE, IPv4/GRE,
 * IPv4/UDP/TLV/GRE (RFC 5845 §7), IP-in-IP and IPv4/UDP (RFC 5213, RFC 5844).
 */
import { BA_FLAG, BU_FLAG, LIFETIME_UNIT_S } from '../dissectors/mip6/layout.js';
import type { MobilityOption } from '../dissectors/mip6/build.js';
import { SLL_PKTTYPE } from '../dissectors/sll/build.js';
import { PMIP6_DATA_PORT, PMIP6_CNTL_PORT } from '../dissectors/pmip6udp/layout.js';
import type { FrameSpec, LayerSpec } from './frames.js';
import type { GreMode, LinkKind, Transport } from './model.js';

/** A MAG or LMA as the message builders see it. */
export interface Endpoint {
  name: string;
  mac: string;
  ipv6?: string;
  ipv4?: string;
  /** True for the LMA: the capture point, so its frames are "outgoing" in SLL. */
  capturePoint: boolean;
}

/** What a mobile node contributes to PBU/PBA options. */
export interface MnIdentity {
  id: string;
  hnp: string;
  hnpLength: number;
  ipv4?: string;
  ipv4PrefixLength: number;
  ipv4Router?: string;
  att: number;
}

export function linkLayer(link: LinkKind, from: Endpoint, to: Endpoint): LayerSpec {
  switch (link) {
    case 'raw':
      return { kind: 'rawip', spec: {} };
    case 'sll':
      return { kind: 'sll', spec: { pktType: from.capturePoint ? SLL_PKTTYPE.OUTGOING : SLL_PKTTYPE.HOST, addr: from.mac } };
    default:
      return { kind: 'eth', spec: { src: from.mac, dst: to.mac } };
  }
}

/** IPv6 header, or IPv4 + UDP 5436 → 5436 for signalling over IPv4 (RFC 5844 Fig. 11/13). */
function signallingCarrier(transport: Transport, from: Endpoint, to: Endpoint): LayerSpec[] {
  if (transport === 'ipv6') return [{ kind: 'ipv6', spec: { src: from.ipv6!, dst: to.ipv6!, hopLimit: 64 } }];
  return [
    { kind: 'ipv4', spec: { src: from.ipv4!, dst: to.ipv4!, ttl: 64 } },
    { kind: 'udp', spec: { srcPort: PMIP6_CNTL_PORT, dstPort: PMIP6_CNTL_PORT } },
  ];
}

export interface PbuParams {
  link: LinkKind;
  transport: Transport;
  mag: Endpoint;
  lma: Endpoint;
  mn: MnIdentity;
  seq: number;
  /** Requested lifetime, seconds (0 = de-registration). */
  lifetime: number;
  hi: number;
  gre: GreMode;
  dlKey?: number;
  t: boolean;
  f: boolean;
  /** Timestamp option: seconds since 1970 and 1/65536 fractions. */
  tsSeconds: number;
  tsFraction: number;
  /** IPv4 HoA to request: the assigned one, or 0.0.0.0 to ask the LMA to allocate. */
  requestIpv4?: string;
}

export function lifetimeUnits(seconds: number): number {
  return Math.min(0xffff, Math.ceil(seconds / LIFETIME_UNIT_S));
}

/** The options every PBU (and the PBA echoing it) carries first: MN-ID, HNP, HI, ATT, Timestamp. */
function baseOptions(mn: MnIdentity, hi: number, tsSeconds: number, tsFraction: number): MobilityOption[] {
  return [
    { type: 'mnid', id: mn.id },
    { type: 'hnp', prefix: mn.hnp, prefixLength: mn.hnpLength },
    { type: 'hi', value: hi },
    { type: 'att', value: mn.att },
    { type: 'ts', seconds: tsSeconds, fraction: tsFraction },
  ];
}

export function pbuFrame(p: PbuParams): FrameSpec {
  const options = baseOptions(p.mn, p.hi, p.tsSeconds, p.tsFraction);
  if (p.gre !== 'none') options.push({ type: 'grekey', key: p.gre === 'keys' ? p.dlKey : undefined });
  if (p.requestIpv4 !== undefined) options.push({ type: 'ipv4hareq', address: p.requestIpv4, prefixLength: p.requestIpv4 === '0.0.0.0' ? 0 : p.mn.ipv4PrefixLength });
  let flags = BU_FLAG.A | BU_FLAG.P;
  if (p.f) flags |= BU_FLAG.F;
  if (p.t) flags |= BU_FLAG.T;
  return {
    layers: [
      linkLayer(p.link, p.mag, p.lma),
      ...signallingCarrier(p.transport, p.mag, p.lma),
      { kind: 'mip6', spec: { body: { kind: 'pbu', seq: p.seq, flags, lifetime: lifetimeUnits(p.lifetime) }, options } },
    ],
  };
}

export interface PbaParams {
  link: LinkKind;
  transport: Transport;
  mag: Endpoint;
  lma: Endpoint;
  mn: MnIdentity;
  seq: number;
  status: number;
  lifetime: number;
  hi: number;
  gre: GreMode;
  ulKey?: number;
  t: boolean;
  tsSeconds: number;
  tsFraction: number;
  /** The PBU asked for an IPv4 HoA: answer with Reply (37) + Default Router (38). */
  ipv4Reply: boolean;
  /** NAT detected (RFC 5555/5844): NAT Detection option with F set. */
  natDetected: boolean;
}

export function pbaFrame(p: PbaParams): FrameSpec {
  const options = baseOptions(p.mn, p.hi, p.tsSeconds, p.tsFraction);
  if (p.gre !== 'none') options.push({ type: 'grekey', key: p.gre === 'keys' ? p.ulKey : undefined });
  if (p.ipv4Reply && p.mn.ipv4) {
    options.push({ type: 'ipv4harep', status: p.status < 128 ? 0 : 128, address: p.mn.ipv4, prefixLength: p.mn.ipv4PrefixLength });
    if (p.status < 128 && p.mn.ipv4Router) options.push({ type: 'ipv4dra', address: p.mn.ipv4Router });
  }
  if (p.natDetected) options.push({ type: 'natd', f: true, refresh: 110 });
  let flags: number = BA_FLAG.P;
  if (p.t) flags |= BA_FLAG.T;
  return {
    layers: [
      linkLayer(p.link, p.lma, p.mag),
      ...signallingCarrier(p.transport, p.lma, p.mag),
      { kind: 'mip6', spec: { body: { kind: 'pba', status: p.status, flags, seq: p.seq, lifetime: lifetimeUnits(p.lifetime) }, options } },
    ],
  };
}

/** Tunnel state a data frame is sent in. */
export interface TunnelState {
  transport: Transport;
  gre: GreMode;
  /** IPv4-UDP-TLV mode (RFC 5845 §7.2). */
  tlv: boolean;
  /** RFC 5844 IPv4-UDP mode (F accepted, no GRE). */
  udp: boolean;
  key?: number;
  greChecksum: boolean;
  greSequence: boolean;
}

/** Link + outer headers of a tunnelled data frame from `from` to `to`. */
export function tunnelLayers(link: LinkKind, st: TunnelState, from: Endpoint, to: Endpoint): LayerSpec[] {
  const out: LayerSpec[] = [linkLayer(link, from, to)];
  const greLayer = (): LayerSpec => ({
    kind: 'gre',
    spec: { key: st.gre === 'keys' ? st.key : undefined, checksumPresent: st.greChecksum || undefined, seqPresent: st.greSequence || undefined },
  });
  if (st.transport === 'ipv6') {
    out.push({ kind: 'ipv6', spec: { src: from.ipv6!, dst: to.ipv6!, hopLimit: 64 } });
    if (st.gre !== 'none') out.push(greLayer());
    return out;
  }
  out.push({ kind: 'ipv4', spec: { src: from.ipv4!, dst: to.ipv4!, ttl: 64 } });
  if (st.gre !== 'none') {
    if (st.tlv) out.push({ kind: 'udp', spec: { srcPort: PMIP6_DATA_PORT, dstPort: PMIP6_DATA_PORT } }, { kind: 'tlv', spec: {} });
    out.push(greLayer());
  } else if (st.udp) {
    out.push({ kind: 'udp', spec: { srcPort: PMIP6_DATA_PORT, dstPort: PMIP6_DATA_PORT } });
  }
  return out;
}
