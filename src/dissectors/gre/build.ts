/**
 * GRE builder (RFC 2784 + RFC 2890 Key/Sequence, RFC 1701 legacy bits), sharing the bit layout
 * of ./layout.ts with the dissector.
 *
 * Computed when unset: the flags word (C from `checksumPresent`, K when a key is given, S when
 * a sequence number is given, R when routing is given), the Protocol Type (from the payload:
 * 0x0800 / 0x86DD), and the Checksum (RFC 2784 §2.5: over the GRE header and payload, no
 * pseudo-header) when C is set. Set `flags` to write the whole word as given: the optional
 * fields then follow those flags (a missing key is written as 0).
 */
import { nextLayer, put16, put32, toNumber, withBit, type FieldSetters, type Layer, type MutableField } from '../../generate/layer.js';
import {
  GRE_BASE_LEN,
  GRE_FLAG_CHECKSUM,
  GRE_FLAG_KEY,
  GRE_FLAG_ROUTING,
  GRE_FLAG_SEQUENCE,
  GRE_FLAG_STRICT_SOURCE_ROUTE,
  GRE_FLAGS_RESERVED_MASK,
  GRE_RECURSION_MASK,
  GRE_SRE_HEADER_LEN,
  GRE_VERSION_MASK,
  IP_PROTO_GRE,
  greHasChecksumWord,
  greHeaderLen,
  greKeyOffset,
  greSeqOffset,
} from './layout.js';

export interface GreSpec {
  /** The whole flags-and-version word; when set, the computed bits below are ignored. */
  flags?: number;
  checksumPresent?: boolean;
  /** Present when a key is given, unless set to false (or true with no key: key 0). */
  keyPresent?: boolean;
  seqPresent?: boolean;
  routingPresent?: boolean;
  strictSourceRoute?: boolean;
  recursion?: number;
  /** RFC 1701 Flags bits 8-12 (mask 0x00F8), given as the masked value. */
  reservedFlags?: number;
  version?: number;
  protocol?: number;
  checksum?: number;
  /** XOR mask applied to the computed checksum (a deliberately bad checksum that stays bad per frame). */
  badChecksum?: number;
  /** Reserved1 (RFC 2784 §2.6) / Offset (RFC 1701). */
  reserved1?: number;
  key?: number;
  seq?: number;
  /** RFC 1701 Routing: the SRE list; the NULL SRE terminator is appended. */
  routing?: Uint8Array;
}

export function greFlags(spec: GreSpec): number {
  if (spec.flags !== undefined) return spec.flags & 0xffff;
  let f = 0;
  if (spec.checksumPresent) f |= GRE_FLAG_CHECKSUM;
  if (spec.routingPresent ?? spec.routing !== undefined) f |= GRE_FLAG_ROUTING;
  if (spec.keyPresent ?? spec.key !== undefined) f |= GRE_FLAG_KEY;
  if (spec.seqPresent ?? spec.seq !== undefined) f |= GRE_FLAG_SEQUENCE;
  if (spec.strictSourceRoute) f |= GRE_FLAG_STRICT_SOURCE_ROUTE;
  f |= ((spec.recursion ?? 0) << 8) & GRE_RECURSION_MASK;
  f |= (spec.reservedFlags ?? 0) & GRE_FLAGS_RESERVED_MASK;
  f |= (spec.version ?? 0) & GRE_VERSION_MASK;
  return f;
}

export function gre(spec: GreSpec = {}): Layer {
  const flags = greFlags(spec);
  const base = greHeaderLen(flags);
  const routing = flags & GRE_FLAG_ROUTING ? spec.routing ?? new Uint8Array(0) : undefined;
  const hlen = base + (routing ? routing.length + GRE_SRE_HEADER_LEN : 0);
  return {
    kind: 'gre',
    ipProto: IP_PROTO_GRE,
    headerLen: () => hlen,
    encode(b, off, ctx) {
      put16(b, off, flags);
      put16(b, off + 2, spec.protocol ?? nextLayer(ctx)?.etherType ?? 0);
      if (greHasChecksumWord(flags)) {
        put16(b, off + GRE_BASE_LEN, spec.checksum ?? 0);
        put16(b, off + GRE_BASE_LEN + 2, spec.reserved1 ?? 0);
      }
      if (flags & GRE_FLAG_KEY) put32(b, off + greKeyOffset(flags), spec.key ?? 0);
      if (flags & GRE_FLAG_SEQUENCE) put32(b, off + greSeqOffset(flags), spec.seq ?? 0);
      if (routing) {
        b.set(routing, off + base);
        b.fill(0, off + base + routing.length, off + hlen); // NULL SRE: AF 0, offset 0, length 0
      }
    },
    checksum(_b, off, ctx) {
      if (!(flags & GRE_FLAG_CHECKSUM) || spec.checksum !== undefined) return null;
      return { field: off + GRE_BASE_LEN, start: off, end: ctx.end, pseudo: 0, udp: false, corrupt: spec.badChecksum ?? 0 };
    },
    mutable: (off) => {
      const out: MutableField[] = [];
      if (flags & GRE_FLAG_KEY) out.push({ name: 'gre.key', off: off + greKeyOffset(flags), width: 4 });
      if (flags & GRE_FLAG_SEQUENCE) out.push({ name: 'gre.sequence_number', off: off + greSeqOffset(flags), width: 4 });
      return out;
    },
  };
}

const bit = (mask: number, name: string) => (s: GreSpec, v: unknown) => {
  s.flags = withBit(greFlags(s), mask, !!toNumber(v, name));
};

export const GRE_FIELDS: FieldSetters<GreSpec> = {
  'gre.flags_and_version': (s, v) => (s.flags = toNumber(v, 'gre.flags_and_version')),
  'gre.flags.checksum': bit(GRE_FLAG_CHECKSUM, 'gre.flags.checksum'),
  'gre.flags.routing': bit(GRE_FLAG_ROUTING, 'gre.flags.routing'),
  'gre.flags.key': bit(GRE_FLAG_KEY, 'gre.flags.key'),
  'gre.flags.sequence_number': bit(GRE_FLAG_SEQUENCE, 'gre.flags.sequence_number'),
  'gre.flags.strict_source_route': bit(GRE_FLAG_STRICT_SOURCE_ROUTE, 'gre.flags.strict_source_route'),
  'gre.flags.recursion_control': (s, v) => (s.flags = (greFlags(s) & ~GRE_RECURSION_MASK) | ((toNumber(v, 'gre.flags.recursion_control') << 8) & GRE_RECURSION_MASK)),
  'gre.flags.reserved': (s, v) => (s.flags = (greFlags(s) & ~GRE_FLAGS_RESERVED_MASK) | ((toNumber(v, 'gre.flags.reserved') << 3) & GRE_FLAGS_RESERVED_MASK)),
  'gre.flags.version': (s, v) => (s.flags = (greFlags(s) & ~GRE_VERSION_MASK) | (toNumber(v, 'gre.flags.version') & GRE_VERSION_MASK)),
  'gre.proto': (s, v) => (s.protocol = toNumber(v, 'gre.proto')),
  'gre.checksum': (s, v) => (s.checksum = toNumber(v, 'gre.checksum')),
  'gre.offset': (s, v) => (s.reserved1 = toNumber(v, 'gre.offset')),
  'gre.key': (s, v) => (s.key = toNumber(v, 'gre.key')),
  'gre.sequence_number': (s, v) => (s.seq = toNumber(v, 'gre.sequence_number')),
};
