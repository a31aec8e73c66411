/**
 * Linux cooked capture v1 builder (LINKTYPE_LINUX_SLL, 16 octets): packet type, ARPHRD type,
 * address length, 8 address octets, protocol (EtherType; computed from the payload when unset).
 */
import { LINKTYPE_LINUX_SLL } from '../../capture/linktypes.js';
import { macBytes, nextLayer, put16, toNumber, type FieldSetters, type Layer } from '../../generate/layer.js';

export const SLL_HEADER_LEN = 16;
export { LINKTYPE_LINUX_SLL };

/** sll.pkttype values (packet(7) PACKET_*). */
export const SLL_PKTTYPE = { HOST: 0, BROADCAST: 1, MULTICAST: 2, OTHERHOST: 3, OUTGOING: 4 } as const;
export const ARPHRD_ETHER = 1;

export interface SllSpec {
  pktType?: number;
  haType?: number;
  /** Link-layer source address (up to 8 octets; a MAC by default). */
  addr?: string | Uint8Array;
  /** Address length field (computed from `addr` when unset). */
  addrLen?: number;
  /** Protocol (EtherType), computed from the payload when unset. */
  protocol?: number;
}

export function sll(spec: SllSpec = {}): Layer {
  const addr = typeof spec.addr === 'string' || spec.addr === undefined ? macBytes(spec.addr ?? '02:00:00:00:00:01') : spec.addr;
  return {
    kind: 'sll',
    headerLen: () => SLL_HEADER_LEN,
    encode(b, off, ctx) {
      put16(b, off, spec.pktType ?? SLL_PKTTYPE.HOST);
      put16(b, off + 2, spec.haType ?? ARPHRD_ETHER);
      put16(b, off + 4, spec.addrLen ?? addr.length);
      b.fill(0, off + 6, off + 14);
      b.set(addr.subarray(0, 8), off + 6);
      put16(b, off + 14, spec.protocol ?? nextLayer(ctx)?.etherType ?? 0);
    },
  };
}

export const SLL_FIELDS: FieldSetters<SllSpec> = {
  'sll.pkttype': (s, v) => (s.pktType = toNumber(v, 'sll.pkttype')),
  'sll.hatype': (s, v) => (s.haType = toNumber(v, 'sll.hatype')),
  'sll.halen': (s, v) => (s.addrLen = toNumber(v, 'sll.halen')),
  'sll.etype': (s, v) => (s.protocol = toNumber(v, 'sll.etype')),
};
