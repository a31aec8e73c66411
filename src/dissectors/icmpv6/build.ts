/**
 * ICMPv6 builder (RFC 4443), echo-shaped: Type, Code, Checksum (computed with the IPv6
 * pseudo-header, Next Header 58, when unset), Identifier, Sequence Number.
 * "icmpv6.echo.sequence_number" is a template field.
 */
import { pseudoHeaderSum } from '../../engine/checksum.js';
import { enclosingIp, toNumber, type FieldSetters, type Layer } from '../../generate/layer.js';
import { encodeEchoHeader, type IcmpSpec } from '../icmp/build.js';

export const ICMPV6_HEADER_LEN = 8;
export const IPPROTO_ICMPV6 = 58;
export const ICMPV6_OFF_CHECKSUM = 2;
export const ICMPV6_OFF_SEQ = 6;
export const ICMPV6_TYPE = { DEST_UNREACH: 1, PACKET_TOO_BIG: 2, TIME_EXCEEDED: 3, ECHO_REQUEST: 128, ECHO_REPLY: 129 } as const;

/** The same fields as ICMP's echo-shaped header. */
export type Icmpv6Spec = IcmpSpec;

export function icmpv6(spec: Icmpv6Spec = {}): Layer {
  return {
    kind: 'icmpv6',
    ipProto: IPPROTO_ICMPV6,
    headerLen: () => ICMPV6_HEADER_LEN,
    encode: (b, off) => encodeEchoHeader(b, off, spec, ICMPV6_TYPE.ECHO_REQUEST),
    checksum(b, off, ctx) {
      if (spec.checksum !== undefined) return null;
      const ip = enclosingIp(ctx);
      if (!ip) return null;
      return { field: off + ICMPV6_OFF_CHECKSUM, start: off, end: ctx.end, pseudo: pseudoHeaderSum(b, ip.version, ip.src, ip.dst, IPPROTO_ICMPV6, ctx.end - off), pseudoHeader: { ...ip, proto: IPPROTO_ICMPV6 }, udp: false, corrupt: spec.badChecksum ?? 0 };
    },
    mutable: (off) => [
      { name: 'icmpv6.echo.identifier', off: off + 4, width: 2 },
      { name: 'icmpv6.echo.sequence_number', off: off + ICMPV6_OFF_SEQ, width: 2 },
    ],
  };
}

export const ICMPV6_FIELDS: FieldSetters<Icmpv6Spec> = {
  'icmpv6.type': (s, v) => (s.type = toNumber(v, 'icmpv6.type')),
  'icmpv6.code': (s, v) => (s.code = toNumber(v, 'icmpv6.code')),
  'icmpv6.checksum': (s, v) => (s.checksum = toNumber(v, 'icmpv6.checksum')),
  'icmpv6.echo.identifier': (s, v) => (s.id = toNumber(v, 'icmpv6.echo.identifier')),
  'icmpv6.echo.sequence_number': (s, v) => (s.seq = toNumber(v, 'icmpv6.echo.sequence_number')),
};
