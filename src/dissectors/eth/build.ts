/**
 * Ethernet II builder (IEEE 802.3 with an EtherType), optionally with 802.1Q / 802.1ad tags.
 * Unset EtherType: taken from the payload layer (IPv4 0x0800, IPv6 0x86DD); with tags, the
 * outer TPIDs are 0x88A8 (all but the last) / 0x8100 (last) unless set.
 */
import { LINKTYPE_ETHERNET } from '../../capture/linktypes.js';
import { macBytes, nextLayer, put16, toNumber, toText, type FieldSetters, type Layer } from '../../generate/layer.js';

export const ETH_HEADER_LEN = 14;
export const ETHERTYPE_VLAN = 0x8100;
export const ETHERTYPE_QINQ = 0x88a8;
export { LINKTYPE_ETHERNET };

export interface VlanTag {
  tpid?: number;
  pcp?: number;
  dei?: number;
  vid: number;
}

export interface EthSpec {
  dst?: string | Uint8Array;
  src?: string | Uint8Array;
  /** EtherType of the payload (computed from the payload layer when unset). */
  type?: number;
  /** 802.1Q tags, outermost first. */
  vlan?: VlanTag[];
}

export function eth(spec: EthSpec = {}): Layer {
  const tags = spec.vlan ?? [];
  const dst = macBytes(spec.dst ?? 'ff:ff:ff:ff:ff:ff');
  const src = macBytes(spec.src ?? '02:00:00:00:00:01');
  return {
    kind: 'eth',
    headerLen: () => ETH_HEADER_LEN + 4 * tags.length,
    encode(b, off, ctx) {
      b.set(dst, off);
      b.set(src, off + 6);
      const inner = spec.type ?? nextLayer(ctx)?.etherType ?? 0;
      let o = off + 12;
      tags.forEach((t, i) => {
        put16(b, o, t.tpid ?? (i === tags.length - 1 ? ETHERTYPE_VLAN : ETHERTYPE_QINQ));
        put16(b, o + 2, (((t.pcp ?? 0) & 7) << 13) | (((t.dei ?? 0) & 1) << 12) | (t.vid & 0xfff));
        o += 4;
      });
      put16(b, o, inner);
    },
  };
}

export const ETH_FIELDS: FieldSetters<EthSpec> = {
  'eth.dst': (s, v) => (s.dst = toText(v, 'eth.dst')),
  'eth.src': (s, v) => (s.src = toText(v, 'eth.src')),
  'eth.type': (s, v) => (s.type = toNumber(v, 'eth.type')),
};
