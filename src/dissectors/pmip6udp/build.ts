/**
 * RFC 5845 §7 TLV header builder (4 octets: Type 4 bits, Res 4 bits, Next Header 8, Length 16),
 * sharing ./layout.ts with the dissector. Computed when unset: Next Header (from the payload:
 * 47 GRE, 4 IPv4, 41 IPv6) and Length (octets after the TLV header). A UDP layer in front of it
 * defaults to the pmip6-data port 5437.
 */
import { nextLayer, put16, toNumber, type FieldSetters, type Layer } from '../../generate/layer.js';
import { PMIP6_DATA_PORT, TLV_HEADER_LEN, TLV_OFF_LENGTH, TLV_OFF_NEXT_HEADER, TLV_TYPE_GRE, tlvOctet0 } from './layout.js';

export interface TlvSpec {
  type?: number;
  reserved?: number;
  nextHeader?: number;
  length?: number;
}

export function tlv(spec: TlvSpec = {}): Layer {
  return {
    kind: 'tlv',
    udpPort: PMIP6_DATA_PORT,
    headerLen: () => TLV_HEADER_LEN,
    encode(b, off, ctx) {
      b[off] = tlvOctet0(spec.type ?? TLV_TYPE_GRE, spec.reserved ?? 0);
      b[off + TLV_OFF_NEXT_HEADER] = spec.nextHeader ?? nextLayer(ctx)?.ipProto ?? 0;
      put16(b, off + TLV_OFF_LENGTH, spec.length ?? ctx.end - off - TLV_HEADER_LEN);
    },
  };
}

export const TLV_FIELDS: FieldSetters<TlvSpec> = {
  'pmip6.tlv.type': (s, v) => (s.type = toNumber(v, 'pmip6.tlv.type')),
  'pmip6.tlv.reserved': (s, v) => (s.reserved = toNumber(v, 'pmip6.tlv.reserved')),
  'pmip6.tlv.next_header': (s, v) => (s.nextHeader = toNumber(v, 'pmip6.tlv.next_header')),
  'pmip6.tlv.length': (s, v) => (s.length = toNumber(v, 'pmip6.tlv.length')),
};
