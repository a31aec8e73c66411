/**
 * UDP builder (RFC 768). Computed when unset: Length, Checksum (pseudo-header of the enclosing
 * IPv4 or IPv6 header; a computed 0 is sent as 0xFFFF), and the ports, which default to the
 * payload's well-known port (5436 for a Mobility Header, 5437 for the RFC 5845 TLV header).
 * `checksum: 0` sends "no checksum" (legal over IPv4 only).
 */
import { pseudoHeaderSum } from '../../engine/checksum.js';
import { enclosingIp, nextLayer, put16, toNumber, type FieldSetters, type Layer } from '../../generate/layer.js';

export const UDP_HEADER_LEN = 8;
export const IPPROTO_UDP = 17;
export const UDP_OFF_CHECKSUM = 6;

export interface UdpSpec {
  srcPort?: number;
  dstPort?: number;
  length?: number;
  checksum?: number;
}

export function udp(spec: UdpSpec = {}): Layer {
  return {
    kind: 'udp',
    ipProto: IPPROTO_UDP,
    headerLen: () => UDP_HEADER_LEN,
    encode(b, off, ctx) {
      const port = nextLayer(ctx)?.udpPort ?? 0;
      put16(b, off, spec.srcPort ?? port);
      put16(b, off + 2, spec.dstPort ?? port);
      put16(b, off + 4, spec.length ?? ctx.end - off);
      put16(b, off + 6, spec.checksum ?? 0);
    },
    checksum(b, off, ctx) {
      if (spec.checksum !== undefined) return null;
      const ip = enclosingIp(ctx);
      if (!ip) return null;
      const len = ctx.end - off;
      return { field: off + UDP_OFF_CHECKSUM, start: off, end: ctx.end, pseudo: pseudoHeaderSum(b, ip.version, ip.src, ip.dst, IPPROTO_UDP, len), pseudoHeader: { ...ip, proto: IPPROTO_UDP }, udp: true };
    },
    mutable: (off) => [
      { name: 'udp.srcport', off, width: 2 },
      { name: 'udp.dstport', off: off + 2, width: 2 },
    ],
  };
}

export const UDP_FIELDS: FieldSetters<UdpSpec> = {
  'udp.srcport': (s, v) => (s.srcPort = toNumber(v, 'udp.srcport')),
  'udp.dstport': (s, v) => (s.dstPort = toNumber(v, 'udp.dstport')),
  'udp.length': (s, v) => (s.length = toNumber(v, 'udp.length')),
  'udp.checksum': (s, v) => (s.checksum = toNumber(v, 'udp.checksum')),
};
