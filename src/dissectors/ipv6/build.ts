/**
 * IPv6 header builder (RFC 8200 / RFC 2460). Computed when unset: Payload Length and Next
 * Header (from the payload layer: 47 GRE, 135 Mobility Header, 4/41 IP-in-IP, 17 UDP, ...).
 * No extension headers: PMIPv6 signalling and GRE tunnels do not need them.
 */
import { ipv6Bytes, nextLayer, put16, toNumber, toText, type FieldSetters, type Layer } from '../../generate/layer.js';

export const IPV6_HEADER_LEN = 40;
export const IPV6_OFF_SRC = 8;
export const IPV6_OFF_DST = 24;
export const ETHERTYPE_IPV6 = 0x86dd;
export const IPPROTO_IPV6 = 41;

export interface Ipv6Spec {
  src: string | Uint8Array;
  dst: string | Uint8Array;
  version?: number;
  trafficClass?: number;
  flowLabel?: number;
  payloadLength?: number;
  nextHeader?: number;
  hopLimit?: number;
}

export function ipv6(spec: Ipv6Spec): Layer {
  const src = ipv6Bytes(spec.src);
  const dst = ipv6Bytes(spec.dst);
  return {
    kind: 'ipv6',
    etherType: ETHERTYPE_IPV6,
    ipProto: IPPROTO_IPV6,
    ip: { version: 6, src: IPV6_OFF_SRC, dst: IPV6_OFF_DST },
    headerLen: () => IPV6_HEADER_LEN,
    encode(b, off, ctx) {
      const tc = spec.trafficClass ?? 0;
      const fl = spec.flowLabel ?? 0;
      b[off] = (((spec.version ?? 6) & 0xf) << 4) | ((tc >>> 4) & 0xf);
      b[off + 1] = ((tc & 0xf) << 4) | ((fl >>> 16) & 0xf);
      put16(b, off + 2, fl & 0xffff);
      put16(b, off + 4, spec.payloadLength ?? ctx.end - off - IPV6_HEADER_LEN);
      b[off + 6] = spec.nextHeader ?? nextLayer(ctx)?.ipProto ?? 59;
      b[off + 7] = spec.hopLimit ?? 64;
      b.set(src, off + IPV6_OFF_SRC);
      b.set(dst, off + IPV6_OFF_DST);
    },
    mutable: (off) => [
      { name: 'ipv6.src', off: off + IPV6_OFF_SRC, width: 16 },
      { name: 'ipv6.dst', off: off + IPV6_OFF_DST, width: 16 },
    ],
  };
}

export const IPV6_FIELDS: FieldSetters<Ipv6Spec> = {
  'ipv6.version': (s, v) => (s.version = toNumber(v, 'ipv6.version')),
  'ipv6.tclass': (s, v) => (s.trafficClass = toNumber(v, 'ipv6.tclass')),
  'ipv6.flow': (s, v) => (s.flowLabel = toNumber(v, 'ipv6.flow')),
  'ipv6.plen': (s, v) => (s.payloadLength = toNumber(v, 'ipv6.plen')),
  'ipv6.nxt': (s, v) => (s.nextHeader = toNumber(v, 'ipv6.nxt')),
  'ipv6.hlim': (s, v) => (s.hopLimit = toNumber(v, 'ipv6.hlim')),
  'ipv6.src': (s, v) => (s.src = toText(v, 'ipv6.src')),
  'ipv6.dst': (s, v) => (s.dst = toText(v, 'ipv6.dst')),
};
