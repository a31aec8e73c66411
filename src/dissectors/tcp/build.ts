/**
 * TCP builder (RFC 9293). Computed when unset: Data Offset (from the options) and Checksum
 * (pseudo-header of the enclosing IP header). Sequence and acknowledgment numbers are template
 * fields ("tcp.seq", "tcp.ack") the scale path patches per segment.
 */
import { pseudoHeaderSum } from '../../engine/checksum.js';
import { enclosingIp, payloadOffset, put16, put32, toNumber, type FieldSetters, type Layer } from '../../generate/layer.js';

export const TCP_MIN_HEADER_LEN = 20;
export const IPPROTO_TCP = 6;
export const TCP_OFF_SEQ = 4;
export const TCP_OFF_ACK = 8;
export const TCP_OFF_CHECKSUM = 16;
export const TCP_FLAG = { FIN: 0x01, SYN: 0x02, RST: 0x04, PSH: 0x08, ACK: 0x10, URG: 0x20, ECE: 0x40, CWR: 0x80 } as const;

export interface TcpSpec {
  srcPort: number;
  dstPort: number;
  seq?: number;
  ack?: number;
  /** Header length in 32-bit words (computed: 5 + options). */
  dataOffset?: number;
  /** Flag bits (the 12 bits after the data offset; default ACK). */
  flags?: number;
  window?: number;
  checksum?: number;
  /** XOR mask applied to the computed checksum. */
  badChecksum?: number;
  urgent?: number;
  /** Options, padded with zero (EOL) octets to a multiple of 4. */
  options?: Uint8Array;
}

export function tcp(spec: TcpSpec): Layer {
  const optLen = spec.options ? (spec.options.length + 3) & ~3 : 0;
  const hlen = TCP_MIN_HEADER_LEN + optLen;
  return {
    kind: 'tcp',
    ipProto: IPPROTO_TCP,
    headerLen: () => hlen,
    encode(b, off, ctx) {
      put16(b, off, spec.srcPort);
      put16(b, off + 2, spec.dstPort);
      put32(b, off + 4, spec.seq ?? 0);
      put32(b, off + 8, spec.ack ?? 0);
      const flags = spec.flags ?? TCP_FLAG.ACK;
      put16(b, off + 12, (((spec.dataOffset ?? hlen / 4) & 0xf) << 12) | (flags & 0xfff));
      put16(b, off + 14, spec.window ?? 64240);
      put16(b, off + 16, spec.checksum ?? 0);
      put16(b, off + 18, spec.urgent ?? 0);
      if (spec.options) {
        b.fill(0, off + 20, payloadOffset(ctx));
        b.set(spec.options, off + 20);
      }
    },
    checksum(b, off, ctx) {
      if (spec.checksum !== undefined) return null;
      const ip = enclosingIp(ctx);
      if (!ip) return null;
      return { field: off + TCP_OFF_CHECKSUM, start: off, end: ctx.end, pseudo: pseudoHeaderSum(b, ip.version, ip.src, ip.dst, IPPROTO_TCP, ctx.end - off), pseudoHeader: { ...ip, proto: IPPROTO_TCP }, udp: false, corrupt: spec.badChecksum ?? 0 };
    },
    mutable: (off) => [
      { name: 'tcp.srcport', off, width: 2 },
      { name: 'tcp.dstport', off: off + 2, width: 2 },
      { name: 'tcp.seq', off: off + TCP_OFF_SEQ, width: 4 },
      { name: 'tcp.ack', off: off + TCP_OFF_ACK, width: 4 },
    ],
  };
}

export const TCP_FIELDS: FieldSetters<TcpSpec> = {
  'tcp.srcport': (s, v) => (s.srcPort = toNumber(v, 'tcp.srcport')),
  'tcp.dstport': (s, v) => (s.dstPort = toNumber(v, 'tcp.dstport')),
  'tcp.seq_raw': (s, v) => (s.seq = toNumber(v, 'tcp.seq_raw')),
  'tcp.ack_raw': (s, v) => (s.ack = toNumber(v, 'tcp.ack_raw')),
  'tcp.hdr_len': (s, v) => (s.dataOffset = toNumber(v, 'tcp.hdr_len') / 4),
  'tcp.flags': (s, v) => (s.flags = toNumber(v, 'tcp.flags')),
  'tcp.window_size_value': (s, v) => (s.window = toNumber(v, 'tcp.window_size_value')),
  'tcp.checksum': (s, v) => (s.checksum = toNumber(v, 'tcp.checksum')),
  'tcp.urgent_pointer': (s, v) => (s.urgent = toNumber(v, 'tcp.urgent_pointer')),
};
