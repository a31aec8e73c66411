/**
 * Frame specs: a frame as plain data (a list of tagged layer specs, outermost first), the one
 * table that maps each kind to its builder and its field-override setters, and the helpers that
 * scenario overrides and faults use to find and change layers. Specs are mutated freely before
 * a frame is built or compiled into a template; the builders compute whatever is left unset.
 */
import { eth, ETH_FIELDS, type EthSpec } from '../dissectors/eth/build.js';
import { sll, SLL_FIELDS, type SllSpec } from '../dissectors/sll/build.js';
import { rawip } from '../dissectors/rawip/build.js';
import { ipv4, IPV4_FIELDS, type Ipv4Spec } from '../dissectors/ipv4/build.js';
import { ipv6, IPV6_FIELDS, type Ipv6Spec } from '../dissectors/ipv6/build.js';
import { udp, UDP_FIELDS, type UdpSpec } from '../dissectors/udp/build.js';
import { tcp, TCP_FIELDS, type TcpSpec } from '../dissectors/tcp/build.js';
import { icmp, ICMP_FIELDS, type IcmpSpec } from '../dissectors/icmp/build.js';
import { icmpv6, ICMPV6_FIELDS, type Icmpv6Spec } from '../dissectors/icmpv6/build.js';
import { gre, GRE_FIELDS, type GreSpec } from '../dissectors/gre/build.js';
import { tlv, TLV_FIELDS, type TlvSpec } from '../dissectors/pmip6udp/build.js';
import { mh, MH_FIELDS, type MhSpec } from '../dissectors/mip6/build.js';
import { build, compile, raw, type FieldSetters, type Layer, type RawSpec, type Template } from './layer.js';

export interface LayerSpecs {
  eth: EthSpec;
  sll: SllSpec;
  rawip: Record<string, never>;
  ipv4: Ipv4Spec;
  ipv6: Ipv6Spec;
  udp: UdpSpec;
  tcp: TcpSpec;
  icmp: IcmpSpec;
  icmpv6: Icmpv6Spec;
  gre: GreSpec;
  tlv: TlvSpec;
  mip6: MhSpec;
  raw: RawSpec;
}
export type LayerKind = keyof LayerSpecs;
export type LayerSpec = { [K in LayerKind]: { kind: K; spec: LayerSpecs[K] } }[LayerKind];

/** A frame as data, outermost layer first. */
export interface FrameSpec {
  layers: LayerSpec[];
}

interface KindEntry<K extends LayerKind> {
  build: (spec: LayerSpecs[K]) => Layer;
  /** Prefix of the Wireshark field names this layer owns ("ip.", "gre."). */
  prefix?: string;
  fields?: FieldSetters<LayerSpecs[K]>;
}

const KINDS: { [K in LayerKind]: KindEntry<K> } = {
  eth: { build: eth, prefix: 'eth.', fields: ETH_FIELDS },
  sll: { build: sll, prefix: 'sll.', fields: SLL_FIELDS },
  rawip: { build: () => rawip() },
  ipv4: { build: ipv4, prefix: 'ip.', fields: IPV4_FIELDS },
  ipv6: { build: ipv6, prefix: 'ipv6.', fields: IPV6_FIELDS },
  udp: { build: udp, prefix: 'udp.', fields: UDP_FIELDS },
  tcp: { build: tcp, prefix: 'tcp.', fields: TCP_FIELDS },
  icmp: { build: icmp, prefix: 'icmp.', fields: ICMP_FIELDS },
  icmpv6: { build: icmpv6, prefix: 'icmpv6.', fields: ICMPV6_FIELDS },
  gre: { build: gre, prefix: 'gre.', fields: GRE_FIELDS },
  tlv: { build: tlv, prefix: 'pmip6.tlv.', fields: TLV_FIELDS },
  mip6: { build: mh, prefix: 'mip6.', fields: MH_FIELDS },
  raw: { build: raw },
};

export function layersOf(f: FrameSpec): Layer[] {
  return f.layers.map((l) => (KINDS[l.kind].build as (s: unknown) => Layer)(l.spec));
}

export function buildFrame(f: FrameSpec): Uint8Array {
  return build(layersOf(f));
}

export function compileFrame(f: FrameSpec): Template {
  return compile(layersOf(f));
}

/** Octets from the start of layer `index` to the end of the frame. */
export function sizeFrom(f: FrameSpec, index: number): number {
  return layersOf(f)
    .slice(index)
    .reduce((n, l) => n + l.headerLen(), 0);
}

/** Index of the `occurrence`-th layer of `kind` (0 = outermost), or -1. */
export function indexOf(f: FrameSpec, kind: LayerKind, occurrence = 0, from = 0): number {
  let n = 0;
  for (let i = from; i < f.layers.length; i++) if (f.layers[i]!.kind === kind && n++ === occurrence) return i;
  return -1;
}

export function layer<K extends LayerKind>(f: FrameSpec, kind: K, occurrence = 0): LayerSpecs[K] | undefined {
  const i = indexOf(f, kind, occurrence);
  return i < 0 ? undefined : (f.layers[i]!.spec as LayerSpecs[K]);
}

/** Index of the first layer inside the tunnel: the IP header that follows GRE, TLV or an outer IP header. */
export function innerIndex(f: FrameSpec): number {
  for (let i = 1; i < f.layers.length; i++) {
    const k = f.layers[i]!.kind;
    const prev = f.layers[i - 1]!.kind;
    if ((k === 'ipv4' || k === 'ipv6') && (prev === 'gre' || prev === 'tlv' || prev === 'ipv4' || prev === 'ipv6' || prev === 'udp')) return i;
  }
  return -1;
}

// ------------------------------------------------------------------ overrides

/** All override field names gretool accepts, each once (optionally prefixed with "inner."). */
export function overrideFieldNames(): string[] {
  const out: string[] = [];
  for (const k of Object.keys(KINDS) as LayerKind[]) out.push(...Object.keys(KINDS[k].fields ?? {}));
  return out.sort();
}

function kindOfField(name: string): LayerKind | undefined {
  let best: LayerKind | undefined;
  let bestLen = 0;
  for (const k of Object.keys(KINDS) as LayerKind[]) {
    const e = KINDS[k];
    if (e.fields && name in e.fields && e.prefix && e.prefix.length > bestLen) {
      best = k;
      bestLen = e.prefix.length;
    }
  }
  return best;
}

/** True when `name` (with an optional "inner." prefix) is a field an override can set. */
export function isOverrideField(name: string): boolean {
  return kindOfField(name.startsWith('inner.') ? name.slice(6) : name) !== undefined;
}

/**
 * Sets one header field by its Wireshark name. Without a prefix the first layer of that
 * protocol in the frame is changed; "inner." restricts the search to the tunnelled packet.
 * Throws (with a readable message) when the frame has no such layer or the value is invalid.
 */
export function setField(f: FrameSpec, name: string, value: unknown, lenient = false): void {
  const inner = name.startsWith('inner.');
  const field = inner ? name.slice(6) : name;
  const kind = kindOfField(field);
  if (!kind) throw new Error(`unknown field "${name}"`);
  const from = inner ? innerIndex(f) : 0;
  const i = from < 0 ? -1 : indexOf(f, kind, 0, from);
  if (i < 0) {
    if (lenient) return;
    throw new Error(`"${name}": this frame has no ${inner ? 'inner ' : ''}${kind} header`);
  }
  const setter = (KINDS[kind].fields as FieldSetters<unknown>)[field]!;
  setter(f.layers[i]!.spec, value);
}

/**
 * Applies field overrides. `lenient`: skip a field whose header this frame lacks (a traffic
 * event's overrides apply to each of its flows where they fit: "inner.ip.ttl" to the IPv4 ones).
 */
export function applyOverrides(f: FrameSpec, fields: Readonly<Record<string, unknown>> | undefined, lenient = false): void {
  if (!fields) return;
  for (const [k, v] of Object.entries(fields)) setField(f, k, v, lenient);
}
