/**
 * BSD loopback / "null" encapsulation (link type 0): a 4-octet address family in the capturing
 * host's byte order. Detection of the byte order (and of IRIX's 16-bit family and of Linux's
 * Ethertype variant) follows Wireshark 4.0's packet-null.c, as read on a little-endian host.
 */
import { defineFields } from '../../engine/fields.js';
import { table, type Dissector } from '../../engine/dispatch.js';
import type { Packet } from '../../engine/packet.js';
import { ETHERTYPE_NAMES } from '../eth/etypes.js';
import { resetInetSlots } from '../ipv4/inet.js';

export const LINKTYPE_NULL = 0;
export const NULL_HEADER_SIZE = 4;
export const BSD_AF_INET = 2;
export const BSD_AF_INET6_BSD = 24;
export const BSD_AF_INET6_FREEBSD = 28;
export const BSD_AF_INET6_DARWIN = 30;

const FAMILIES: Readonly<Record<number, string>> = {
  2: 'IP', 7: 'OSI', 16: 'Apple Talk', 23: 'Netware IPX/SPX', 24: 'IPv6', 28: 'IPv6', 30: 'IPv6',
};

export const NULL_FIELDS = defineFields({
  null: { abbrev: 'null', name: 'Null/Loopback', short: 'Null', type: 'protocol' },
  type: { abbrev: 'null.type', name: 'Type', type: 'uint16', base: 'hex', strings: ETHERTYPE_NAMES },
  family: { abbrev: 'null.family', name: 'Family', type: 'uint32', strings: FAMILIES },
});

const N = NULL_FIELDS;
const DATA = table('data', 1);
const ETHERTYPE = table('ethertype');
/** Address family → payload, like Wireshark's "null.type" table (filled below by family). */
const FAMILY_PROTO: Readonly<Record<number, number>> = { 2: 0x0800, 24: 0x86dd, 28: 0x86dd, 30: 0x86dd };

/** The header value as Wireshark's packet-null.c normalises it (host assumed little-endian). */
export function nullHeaderValue(raw: number): number {
  let h = raw >>> 0;
  if ((h & 0xffff0000) !== 0) {
    if ((h & 0xff000000) === 0 && (h & 0x00ff0000) < 0x00060000) h = h >>> 16; // IRIX, our order
    else h = (((h & 0xff) << 24) | ((h & 0xff00) << 8) | ((h >>> 8) & 0xff00) | (h >>> 24)) >>> 0; // swap
  } else if ((h & 0xff) === 0 && (h & 0xff00) < 0x0600) {
    h = ((h & 0xff) << 8) | ((h >>> 8) & 0xff); // IRIX, other order
  }
  return h;
}

export const nullDissector: Dissector = {
  proto: N.null,
  name: 'null',
  dissect(p: Packet, off: number, end: number, parent: number): void {
    resetInetSlots(p);
    p.need(off, 2, end);
    const data = DATA.get(0);
    if (p.u16(off) === 0xff03) {
      // PPP in HDLC-like framing: not dissected by gretool
      if (data) p.call(data, off, end, parent);
      return;
    }
    p.pushProto(N.null);
    const c = p.cols;
    c.proto = 'N/A';
    c.src.clear().str('N/A');
    c.dst.clear().str('N/A');
    c.info.clear().str('Null/Loopback');
    p.need(off, NULL_HEADER_SIZE, end);
    const h = nullHeaderValue(p.u32le(off));
    const root = p.add(N.null, off, NULL_HEADER_SIZE, parent);
    let d;
    if (h > 1500) {
      p.addNum(N.type, off, NULL_HEADER_SIZE, root, h & 0xffff);
      d = ETHERTYPE.get(h & 0xffff);
    } else {
      p.addNum(N.family, off, NULL_HEADER_SIZE, root, h);
      const et = FAMILY_PROTO[h];
      d = et === undefined ? undefined : ETHERTYPE.get(et);
    }
    if (d !== undefined && (d.accepts === undefined || d.accepts(p, off + 4, end))) p.call(d, off + 4, end, parent);
    else if (data) p.call(data, off + 4, end, parent);
  },
};

table('link.type').add(LINKTYPE_NULL, nullDissector);
