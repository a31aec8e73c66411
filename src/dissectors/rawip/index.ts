/**
 * Raw IP link types: LINKTYPE_RAW (101, "raw" in Wireshark: the version nibble picks IPv4 or
 * IPv6, after packet-raw.c's PPP / ISDN checks) and LINKTYPE_IPV4 (228) / LINKTYPE_IPV6 (229),
 * which Wireshark hands straight to IPv4 / IPv6 with no link protocol in frame.protocols.
 */
import { defineFields } from '../../engine/fields.js';
import { table, type Dissector } from '../../engine/dispatch.js';
import type { Packet } from '../../engine/packet.js';
import { resetInetSlots } from '../ipv4/inet.js';

export const LINKTYPE_RAW = 101;
export const LINKTYPE_IPV4 = 228;
export const LINKTYPE_IPV6 = 229;

export const RAW_FIELDS = defineFields({
  raw: { abbrev: 'raw', name: 'Raw packet data', short: 'Raw', type: 'protocol' },
});

const DATA = table('data', 1);
const ETHERTYPE = table('ethertype');

function ipv4(): Dissector | undefined {
  return ETHERTYPE.get(0x0800);
}
function ipv6(): Dissector | undefined {
  return ETHERTYPE.get(0x86dd);
}

export const rawDissector: Dissector = {
  proto: RAW_FIELDS.raw,
  name: 'raw',
  dissect(p: Packet, off: number, end: number, parent: number): void {
    resetInetSlots(p);
    const c = p.cols;
    c.proto = 'N/A';
    c.src.clear().str('N/A');
    c.dst.clear().str('N/A');
    c.info.clear().str('Raw packet data');
    p.pushProto(RAW_FIELDS.raw);
    p.add(RAW_FIELDS.raw, off, p.avail(off, end), parent);
    const data = DATA.get(0);
    p.need(off, 2, end);
    if (p.u16(off) === 0xff03) {
      if (data) p.call(data, off, end, parent); // PPP in HDLC-like framing: not dissected
      return;
    }
    p.need(off + 6, 2, end);
    if (p.u16(off + 6) === 0xff03) {
      if (data) p.call(data, off + 6, end, parent); // Linux ISDN fake MAC + PPP: not dissected
      return;
    }
    let zero = p.has(off, 10, end);
    for (let i = 0; zero && i < 10; i++) if (p.u8(off + i) !== 0) zero = false;
    const nib = p.u8(off) & 0xf0;
    const d = zero ? ipv4() : nib === 0x40 ? ipv4() : nib === 0x60 ? ipv6() : undefined;
    const at = zero ? off + 10 : off;
    if (d && (d.accepts === undefined || d.accepts(p, at, end))) p.call(d, at, end, parent);
    else if (data) p.call(data, at, end, parent);
  },
};

/** LINKTYPE_IPV4 / LINKTYPE_IPV6: the IP header starts the frame. */
function direct(ethertype: number): Dissector {
  return {
    proto: RAW_FIELDS.raw,
    name: 'raw',
    dissect(p: Packet, off: number, end: number, parent: number): void {
      resetInetSlots(p);
      const d = ETHERTYPE.get(ethertype);
      const data = DATA.get(0);
      if (d && (d.accepts === undefined || d.accepts(p, off, end))) p.call(d, off, end, parent);
      else if (data) p.call(data, off, end, parent);
    },
  };
}

table('link.type').add(LINKTYPE_RAW, rawDissector);
table('link.type').add(LINKTYPE_IPV4, direct(0x0800));
table('link.type').add(LINKTYPE_IPV6, direct(0x86dd));
