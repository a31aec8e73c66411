/**
 * ICMP builder (RFC 792), echo-shaped: Type, Code, Checksum (computed over the ICMP message
 * when unset), then Identifier and Sequence Number (or any 32-bit "rest of header").
 * "icmp.seq" is a template field.
 */
import { put16, put32, toNumber, type FieldSetters, type Layer } from '../../generate/layer.js';

export const ICMP_HEADER_LEN = 8;
export const IPPROTO_ICMP = 1;
export const ICMP_OFF_CHECKSUM = 2;
export const ICMP_OFF_SEQ = 6;
export const ICMP_TYPE = { ECHO_REPLY: 0, DEST_UNREACH: 3, ECHO_REQUEST: 8, TIME_EXCEEDED: 11 } as const;

export interface IcmpSpec {
  type?: number;
  code?: number;
  checksum?: number;
  /** XOR mask applied to the computed checksum. */
  badChecksum?: number;
  id?: number;
  seq?: number;
  /** The whole 32-bit word after the checksum (overrides id/seq). */
  rest?: number;
}

/**
 * The 8-octet echo-shaped header shared by ICMP and ICMPv6 (RFC 792, RFC 4443 §4): Type (default
 * `echoType`), Code, Checksum (0 until computed, unless set), Identifier and Sequence Number or
 * the whole "rest of header".
 */
export function encodeEchoHeader(b: Uint8Array, off: number, spec: IcmpSpec, echoType: number): void {
  b[off] = spec.type ?? echoType;
  b[off + 1] = spec.code ?? 0;
  put16(b, off + 2, spec.checksum ?? 0);
  if (spec.rest !== undefined) put32(b, off + 4, spec.rest);
  else {
    put16(b, off + 4, spec.id ?? 0);
    put16(b, off + 6, spec.seq ?? 0);
  }
}

export function icmp(spec: IcmpSpec = {}): Layer {
  return {
    kind: 'icmp',
    ipProto: IPPROTO_ICMP,
    headerLen: () => ICMP_HEADER_LEN,
    encode: (b, off) => encodeEchoHeader(b, off, spec, ICMP_TYPE.ECHO_REQUEST),
    checksum(_b, off, ctx) {
      if (spec.checksum !== undefined) return null;
      return { field: off + ICMP_OFF_CHECKSUM, start: off, end: ctx.end, pseudo: 0, udp: false, corrupt: spec.badChecksum ?? 0 };
    },
    mutable: (off) => [
      { name: 'icmp.ident', off: off + 4, width: 2 },
      { name: 'icmp.seq', off: off + ICMP_OFF_SEQ, width: 2 },
    ],
  };
}

export const ICMP_FIELDS: FieldSetters<IcmpSpec> = {
  'icmp.type': (s, v) => (s.type = toNumber(v, 'icmp.type')),
  'icmp.code': (s, v) => (s.code = toNumber(v, 'icmp.code')),
  'icmp.checksum': (s, v) => (s.checksum = toNumber(v, 'icmp.checksum')),
  'icmp.ident': (s, v) => (s.id = toNumber(v, 'icmp.ident')),
  'icmp.seq': (s, v) => (s.seq = toNumber(v, 'icmp.seq')),
};
