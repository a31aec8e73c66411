/**
 * IPv4 header builder (RFC 791). Computed when unset: IHL (from the options), Total Length,
 * Protocol (from the payload layer), Header Checksum. Set explicitly, each is written as given.
 * The Identification field is a template field ("ip.id") the scale path patches per frame.
 */
import { ipv4Bytes, nextLayer, payloadOffset, put16, toNumber, toText, withBit, type FieldSetters, type Layer } from '../../generate/layer.js';

export const IPV4_MIN_HEADER_LEN = 20;
export const IPV4_OFF_ID = 4;
export const IPV4_OFF_CHECKSUM = 10;
export const IPV4_OFF_SRC = 12;
export const IPV4_OFF_DST = 16;
/** Flags (3 bits above the fragment offset in the word at +6). */
export const IPV4_FLAG_RB = 0x8000;
export const IPV4_FLAG_DF = 0x4000;
export const IPV4_FLAG_MF = 0x2000;
export const IPV4_FRAG_OFFSET_MASK = 0x1fff;
export const ETHERTYPE_IPV4 = 0x0800;
export const IPPROTO_IPIP = 4;

export interface Ipv4Spec {
  src: string | Uint8Array;
  dst: string | Uint8Array;
  version?: number;
  /** Header length in 32-bit words (computed: 5 + options). */
  ihl?: number;
  /** DSCP + ECN octet. */
  tos?: number;
  totalLength?: number;
  id?: number;
  /** The 16-bit flags + fragment offset word (default: DF set, offset 0). */
  flagsFrag?: number;
  ttl?: number;
  protocol?: number;
  checksum?: number;
  /** XOR mask applied to the computed checksum (a deliberately bad checksum that stays bad per frame). */
  badChecksum?: number;
  /** Options, padded with zero octets to a multiple of 4. */
  options?: Uint8Array;
}

export function ipv4(spec: Ipv4Spec): Layer {
  const src = ipv4Bytes(spec.src);
  const dst = ipv4Bytes(spec.dst);
  const optLen = spec.options ? (spec.options.length + 3) & ~3 : 0;
  const hlen = IPV4_MIN_HEADER_LEN + optLen;
  return {
    kind: 'ipv4',
    etherType: ETHERTYPE_IPV4,
    ipProto: IPPROTO_IPIP,
    ip: { version: 4, src: IPV4_OFF_SRC, dst: IPV4_OFF_DST },
    headerLen: () => hlen,
    encode(b, off, ctx) {
      const total = ctx.end - off;
      b[off] = (((spec.version ?? 4) & 0xf) << 4) | ((spec.ihl ?? hlen / 4) & 0xf);
      b[off + 1] = spec.tos ?? 0;
      put16(b, off + 2, spec.totalLength ?? total);
      put16(b, off + 4, spec.id ?? 0);
      put16(b, off + 6, spec.flagsFrag ?? IPV4_FLAG_DF);
      b[off + 8] = spec.ttl ?? 64;
      b[off + 9] = spec.protocol ?? nextLayer(ctx)?.ipProto ?? 0;
      put16(b, off + 10, spec.checksum ?? 0);
      b.set(src, off + IPV4_OFF_SRC);
      b.set(dst, off + IPV4_OFF_DST);
      if (spec.options) {
        b.fill(0, off + 20, payloadOffset(ctx));
        b.set(spec.options, off + 20);
      }
    },
    checksum(_b, off) {
      if (spec.checksum !== undefined) return null;
      return { field: off + IPV4_OFF_CHECKSUM, start: off, end: off + hlen, pseudo: 0, udp: false, corrupt: spec.badChecksum ?? 0 };
    },
    mutable: (off) => [
      { name: 'ip.id', off: off + IPV4_OFF_ID, width: 2 },
      { name: 'ip.src', off: off + IPV4_OFF_SRC, width: 4 },
      { name: 'ip.dst', off: off + IPV4_OFF_DST, width: 4 },
    ],
  };
}

const flagsOf = (s: Ipv4Spec): number => s.flagsFrag ?? IPV4_FLAG_DF;

export const IPV4_FIELDS: FieldSetters<Ipv4Spec> = {
  'ip.version': (s, v) => (s.version = toNumber(v, 'ip.version')),
  'ip.hdr_len': (s, v) => (s.ihl = toNumber(v, 'ip.hdr_len') / 4),
  'ip.dsfield': (s, v) => (s.tos = toNumber(v, 'ip.dsfield')),
  'ip.len': (s, v) => (s.totalLength = toNumber(v, 'ip.len')),
  'ip.id': (s, v) => (s.id = toNumber(v, 'ip.id')),
  'ip.flags.rb': (s, v) => (s.flagsFrag = withBit(flagsOf(s), IPV4_FLAG_RB, !!toNumber(v, 'ip.flags.rb'))),
  'ip.flags.df': (s, v) => (s.flagsFrag = withBit(flagsOf(s), IPV4_FLAG_DF, !!toNumber(v, 'ip.flags.df'))),
  'ip.flags.mf': (s, v) => (s.flagsFrag = withBit(flagsOf(s), IPV4_FLAG_MF, !!toNumber(v, 'ip.flags.mf'))),
  'ip.frag_offset': (s, v) => (s.flagsFrag = (flagsOf(s) & ~IPV4_FRAG_OFFSET_MASK) | ((toNumber(v, 'ip.frag_offset') / 8) & IPV4_FRAG_OFFSET_MASK)),
  'ip.ttl': (s, v) => (s.ttl = toNumber(v, 'ip.ttl')),
  'ip.proto': (s, v) => (s.protocol = toNumber(v, 'ip.proto')),
  'ip.checksum': (s, v) => (s.checksum = toNumber(v, 'ip.checksum')),
  'ip.src': (s, v) => (s.src = toText(v, 'ip.src')),
  'ip.dst': (s, v) => (s.dst = toText(v, 'ip.dst')),
};
