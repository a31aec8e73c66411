/**
 * IEEE 802.1Q VLAN tags (Ethertypes 0x8100 and the pre-standard QinQ 0x9100, Wireshark's
 * packet-vlan.c) and IEEE 802.1ad service tags (0x88a8, Wireshark's "ieee8021ad" in
 * packet-ieee8021ah.c, whose Type field is named ieee8021ah.etype). Tags nest through the
 * "ethertype" table, so any stack of tags is walked.
 */
import { defineFields } from '../../engine/fields.js';
import { table, type Dissector } from '../../engine/dispatch.js';
import type { Packet } from '../../engine/packet.js';
import { dissectEthertype, ETHERTYPE_NAMES } from '../eth/ethertype.js';
import { captured, labelText } from '../../engine/label.js';
import type { TextBuf } from '../../engine/textbuf.js';

export const ETHERTYPE_VLAN = 0x8100;
export const ETHERTYPE_QINQ_OLD = 0x9100;
export const ETHERTYPE_8021AD = 0x88a8;
export const VLAN_TAG_LEN = 4;

const PRI_NAMES: Readonly<Record<number, string>> = {
  0: 'Best Effort (default)', 1: 'Background', 2: 'Excellent Effort', 3: 'Critical Applications',
  4: 'Video, < 100ms latency and jitter', 5: 'Voice, < 10ms latency and jitter', 6: 'Internetwork Control', 7: 'Network Control',
};

/** "802.1Q Virtual LAN, PRI: 3, DEI: 0, ID: 42" */
function vlanLabel(p: Packet, node: number, out: TextBuf): void {
  const off = p.tree.off[node]!;
  out.str('802.1Q Virtual LAN');
  if (!captured(p, off, 2)) return;
  const tci = p.u16(off);
  out.str(', PRI: ').dec(tci >>> 13).str(', DEI: ').dec((tci >>> 12) & 1).str(', ID: ').dec(tci & 0xfff);
}

export const VLAN_FIELDS = defineFields({
  vlan: { abbrev: 'vlan', name: '802.1Q Virtual LAN', short: 'VLAN', type: 'protocol', label: vlanLabel, compute: labelText(vlanLabel) },
  priority: { abbrev: 'vlan.priority', name: 'Priority', type: 'uint16', mask: 0xe000, strings: PRI_NAMES, description: 'Descriptions are recommendations from IEEE standard 802.1Q-2014' },
  dei: { abbrev: 'vlan.dei', name: 'DEI', type: 'boolean', bits: 16, mask: 0x1000, tf: ['Eligible', 'Ineligible'], description: 'Drop Eligible Indicator' },
  id: { abbrev: 'vlan.id', name: 'ID', type: 'uint16', mask: 0x0fff, description: 'VLAN ID' },
  etype: { abbrev: 'vlan.etype', name: 'Type', type: 'uint16', base: 'hex', strings: ETHERTYPE_NAMES, description: 'Ethertype' },
  len: { abbrev: 'vlan.len', name: 'Length', type: 'uint16' },
  trailer: { abbrev: 'vlan.trailer', name: 'Trailer', type: 'bytes', description: 'VLAN Trailer' },
});

export const IEEE8021AD_FIELDS = defineFields({
  ieee8021ad: { abbrev: 'ieee8021ad', name: 'IEEE 802.1ad', short: 'IEEE 802.1AD', type: 'protocol' },
  priority: { abbrev: 'ieee8021ad.priority', name: 'Priority', type: 'uint16', mask: 0xe000 },
  dei: { abbrev: 'ieee8021ad.dei', name: 'DEI', type: 'uint16', mask: 0x1000, description: 'Drop Eligibility' },
  id: { abbrev: 'ieee8021ad.id', name: 'ID', type: 'uint16', mask: 0x0fff, description: 'Vlan ID' },
  svid: { abbrev: 'ieee8021ad.svid', name: 'ID', type: 'uint16', mask: 0x0fff, description: 'S-Vlan ID' },
  cvid: { abbrev: 'ieee8021ad.cvid', name: 'ID', type: 'uint16', mask: 0x0fff, description: 'C-Vlan ID' },
  // Wireshark registers the 802.1ad Type and Trailer under the 802.1ah protocol
  ieee8021ah: { abbrev: 'ieee8021ah', name: 'IEEE 802.1ah', short: 'IEEE 802.1AH', type: 'protocol' },
  etype: { abbrev: 'ieee8021ah.etype', name: 'Type', type: 'uint16', base: 'hex', strings: ETHERTYPE_NAMES },
  trailer: { abbrev: 'ieee8021ah.trailer', name: 'Trailer', type: 'bytes', description: '802.1ah Trailer' },
});

const V = VLAN_FIELDS;
const A = IEEE8021AD_FIELDS;
const DATA = table('data', 1);

export const vlanDissector: Dissector = {
  proto: V.vlan,
  name: 'vlan',
  dissect(p: Packet, off: number, end: number, parent: number): void {
    p.pushProto(V.vlan);
    const c = p.cols;
    c.proto = 'VLAN';
    c.info.clear();
    p.need(off, 2, end);
    const tci = p.u16(off);
    c.info.str('PRI: ').dec(tci >>> 13).str('  DEI: ').dec((tci >>> 12) & 1).str('  ID: ').dec(tci & 0xfff);
    const root = p.add(V.vlan, off, VLAN_TAG_LEN, parent);
    p.add(V.priority, off, 2, root);
    p.add(V.dei, off, 2, root);
    p.add(V.id, off, 2, root);
    p.need(off + 2, 2, end);
    const type = p.u16(off + 2);
    if (type <= 1500) {
      // 802.3 length inside the tag: LLC is not dissected by gretool
      p.add(V.len, off + 2, 2, root);
      const data = DATA.get(0);
      if (data) p.call(data, off + 4, Math.min(end, off + 4 + type), parent);
      return;
    }
    p.add(V.etype, off + 2, 2, root);
    dissectEthertype(p, type, off + VLAN_TAG_LEN, end, parent, off, root, V.trailer, 0);
  },
};

export const ieee8021adDissector: Dissector = {
  proto: A.ieee8021ad,
  name: 'ieee8021ad',
  dissect(p: Packet, off: number, end: number, parent: number): void {
    p.pushProto(A.ieee8021ad);
    const c = p.cols;
    c.proto = '802.1ad';
    c.info.clear();
    p.need(off, 2, end);
    const tci = p.u16(off);
    c.info.str('PRI: ').dec(tci >>> 13).str('  DROP: ').dec((tci >>> 12) & 1).str(' ID: ').dec(tci & 0xfff);
    const root = p.add(A.ieee8021ad, off, VLAN_TAG_LEN, parent);
    p.need(off + 2, 2, end);
    const encap = p.u16(off + 2);
    if (encap === ETHERTYPE_8021AD) {
      // two service tags in one header (S-VID then C-VID)
      p.need(off + 4, 2, end);
      const ctci = p.u16(off + 4);
      p.addNum(A.priority, off, 1, root, tci >>> 13);
      p.addNum(A.dei, off, 1, root, (tci >>> 12) & 1);
      p.addNum(A.svid, off, 2, root, tci & 0xfff);
      p.addNum(A.priority, off + 4, 1, root, ctci >>> 13);
      p.addNum(A.dei, off + 4, 1, root, (ctci >>> 12) & 1);
      p.addNum(A.cvid, off + 4, 2, root, ctci & 0xfff);
      p.need(off + 6, 2, end);
      const et = p.u16(off + 6);
      p.add(A.etype, off + 6, 2, root);
      dissectEthertype(p, et, off + 8, end, parent, off, root, A.trailer, 0);
      return;
    }
    p.addNum(A.priority, off, 1, root, tci >>> 13);
    p.addNum(A.dei, off, 1, root, (tci >>> 12) & 1);
    p.addNum(A.id, off, 2, root, tci & 0xfff);
    p.add(A.etype, off + 2, 2, root);
    dissectEthertype(p, encap, off + VLAN_TAG_LEN, end, parent, off, root, A.trailer, 0);
  },
};

const ethertype = table('ethertype');
ethertype.add(ETHERTYPE_VLAN, vlanDissector);
ethertype.add(ETHERTYPE_QINQ_OLD, vlanDissector);
ethertype.add(ETHERTYPE_8021AD, ieee8021adDissector);
