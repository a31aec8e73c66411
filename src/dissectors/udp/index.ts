/**
 * UDP (RFC 768), as Wireshark 4.0's packet-udp.c shows it with udp.check_checksum on: ports
 * (with the hidden udp.port pair), length checks, the checksum over the IPv4 or IPv6
 * pseudo-header (0 over IPv4 = not present; 0 over IPv6 = illegal, RFC 8200 §8.1), then the
 * payload through "udp.port", lower port first, then the higher one (decode_udp_ports), then data.
 * Not implemented: udp.stream and the per-conversation time fields (they need capture state).
 */
import { defineFields } from '../../engine/fields.js';
import { defineExperts } from '../../engine/expert.js';
import { table, type Dissector } from '../../engine/dispatch.js';
import { FieldGroup, GENERATED, HIDDEN, type Packet } from '../../engine/packet.js';
import { TextBuf } from '../../engine/textbuf.js';
import { bytesKey, captured, keyedLine, labelText } from '../../engine/label.js';
import {
  arrow, CHECKSUM_STATUS, req, SLOT_UDP_DPORT, SLOT_UDP_LEN, SLOT_UDP_SPORT, CK_BAD, CK_GOOD, CK_ILLEGAL, CK_NOT_PRESENT, CK_UNVERIFIED, foldSum, fragmented, inErrorPacket, pseudoSum, sumBytes,
  portDissector,
} from '../ipv4/inet.js';

export const IP_PROTO_UDP = 17;

/** "User Datagram Protocol, Src Port: 52894, Dst Port: 7" (port numbers, as tshark -n). */
function udpLabel(p: Packet, node: number, out: TextBuf): void {
  const off = p.tree.off[node]!;
  out.str('User Datagram Protocol');
  if (!captured(p, off, 4)) return;
  out.str(', Src Port: ').dec(p.u16(off)).str(', Dst Port: ').dec(p.u16(off + 2));
}
export const UDP_HEADER_SIZE = 8;

export const UDP_FIELDS = defineFields({
  udp: { abbrev: 'udp', name: 'User Datagram Protocol', short: 'UDP', type: 'protocol', label: keyedLine(udpLabel, bytesKey(0, 4)), compute: labelText(udpLabel) },
  srcport: { abbrev: 'udp.srcport', name: 'Source Port', type: 'uint16' },
  dstport: { abbrev: 'udp.dstport', name: 'Destination Port', type: 'uint16' },
  port: { abbrev: 'udp.port', name: 'Source or Destination Port', type: 'uint16' },
  length: { abbrev: 'udp.length', name: 'Length', type: 'uint16', description: 'Length in octets including this header and the data' },
  checksum: { abbrev: 'udp.checksum', name: 'Checksum', type: 'uint16', base: 'hex' },
  checksum_calculated: { abbrev: 'udp.checksum_calculated', name: 'Calculated Checksum', type: 'uint16', base: 'hex', description: 'The expected UDP checksum field as calculated from the UDP packet' },
  checksum_status: { abbrev: 'udp.checksum.status', name: 'Checksum Status', type: 'uint8', base: 'none', strings: CHECKSUM_STATUS },
  payload: { abbrev: 'udp.payload', name: 'Payload', type: 'bytes' },
});

export const UDP_EXPERTS = defineExperts({
  length_bad: { abbrev: 'udp.length.bad', group: 'malformed', severity: 'error', summary: '{0}' },
  checksum_bad: { abbrev: 'udp.checksum.bad', group: 'checksum', severity: 'error', summary: 'Bad checksum [should be {0}]' },
  checksum_zero: { abbrev: 'udp.checksum.zero', group: 'checksum', severity: 'error', summary: 'Illegal checksum value (0)' },
  length_bad_zero: { abbrev: 'udp.length.bad_zero', group: 'protocol', severity: 'warning', summary: 'Length is zero but payload < 65536' },
});

const F = UDP_FIELDS;
const E = UDP_EXPERTS;
const UDP_PORT = table('udp.port');
const PORT_FIELDS = new FieldGroup([F.srcport, F.dstport, F.port]);
const LEN_EQ = TextBuf.encode(' Len=');
const DATA = table('data', 1);


export const udpDissector: Dissector = {
  proto: F.udp,
  name: 'udp',
  dissect(p: Packet, off: number, end: number, parent: number): void {
    const inErr = inErrorPacket(p);
    const frag = fragmented(p);
    const c = p.cols;
    const cols = !inErr && p.colsOn;
    p.pushProto(F.udp);
    // Wireshark reads the ports before it sets the columns
    if (!req(p, off, 4, end, inErr)) return;
    const sport = p.u16(off);
    const dport = p.u16(off + 2);
    // every field below is a udp.* field: skip the adds when none is wanted
    const tree = p.wantsFields(F.udp);
    const root = p.add(F.udp, off, UDP_HEADER_SIZE, parent);
    if (cols) {
      c.proto = 'UDP';
      c.info.clear();
      c.info.dec(sport);
      arrow(c.info);
      c.info.dec(dport);
    }
    if (tree && PORT_FIELDS.wanted(p)) {
      p.add(F.srcport, off, 2, root);
      p.add(F.dstport, off + 2, 2, root);
      p.add(F.port, off, 2, root, HIDDEN);
      p.add(F.port, off + 2, 2, root, HIDDEN);
    }
    if (!req(p, off + 4, 2, end, inErr)) return;
    let ulen = p.u16(off + 4);
    const reported = end - off;
    // RFC 2675 jumbogram (IPv6 only): length 0 means "the IPv6 payload"
    const jumbo = ulen === 0 && p.netVersion === 6;
    if (jumbo) ulen = reported;
    if (ulen < UDP_HEADER_SIZE) {
      const n = tree ? p.addNum(F.length, off + 4, 2, root, ulen) : -1;
      p.expert(E.length_bad, n, 'Bad length value ' + ulen + ' < 8');
      if (cols) c.info.str(' [BAD UDP LENGTH ').dec(ulen).str(' < 8]');
      return;
    }
    let uend = off + ulen;
    if (ulen > reported && !frag && !inErr) {
      const n = tree ? p.addNum(F.length, off + 4, 2, root, ulen) : -1;
      p.expert(E.length_bad, n, 'Bad length value ' + ulen + ' > IP payload length');
      if (cols) c.info.str(' [BAD UDP LENGTH ').dec(ulen).str(' > IP PAYLOAD LENGTH]');
      uend = end;
    } else {
      const n = tree ? p.add(F.length, off + 4, 2, root) : -1;
      if (jumbo && reported < 65536) p.expert(E.length_bad_zero, n);
      if (uend > end) uend = end;
    }
    if (cols) {
      c.info.lit(LEN_EQ).dec(ulen - UDP_HEADER_SIZE);
      if (jumbo) c.info.str(' [Jumbogram]');
    }
    if (!req(p, off + 6, 2, end, inErr)) return;
    const sum = p.u16(off + 6);
    const ck = tree ? p.add(F.checksum, off + 6, 2, root) : -1;
    if (sum === 0) {
      if (p.netVersion === 4 || inErr) {
        if (tree) p.addNum(F.checksum_status, off + 6, 0, root, CK_NOT_PRESENT, GENERATED);
      } else {
        p.expert(E.checksum_zero, ck);
        if (cols) c.info.str(' [ILLEGAL CHECKSUM (0)]');
        if (tree) p.addNum(F.checksum_status, off + 6, 0, root, CK_ILLEGAL, GENERATED);
      }
    } else if (!frag && ulen <= reported && p.has(off, ulen, end)) {
      // The payload checksum costs a pass over the datagram: computed only when its result is
      // shown (the tree, the Info column's " [UDP CHECKSUM INCORRECT]", the status fields).
      if (p.want === null || cols || p.wants(F.checksum_status) || p.wants(F.checksum_calculated)) {
        const ps = pseudoSum(p, IP_PROTO_UDP, ulen);
        if (ps < 0) {
          if (tree) p.addNum(F.checksum_status, off + 6, 0, root, CK_UNVERIFIED, GENERATED);
        } else {
          const computed = foldSum(sumBytes(p, off, ulen, ps));
          if (computed !== 0) {
            let expected = foldSum(ps + sumBytes(p, off, 6, 0) + sumBytes(p, off + 8, ulen - 8, 0));
            if (expected === 0) expected = 0xffff;
            if (tree) {
              p.addNum(F.checksum_calculated, off + 6, 2, ck, expected, GENERATED);
              p.addNum(F.checksum_status, off + 6, 0, root, CK_BAD, GENERATED);
            }
            p.expert(E.checksum_bad, ck, '0x' + expected.toString(16).padStart(4, '0'));
            if (cols) c.info.str(' [UDP CHECKSUM INCORRECT]');
          } else if (tree) {
            p.addNum(F.checksum_calculated, off + 6, 2, ck, sum, GENERATED);
            p.addNum(F.checksum_status, off + 6, 0, root, CK_GOOD, GENERATED);
          }
        }
      }
    } else if (tree) {
      p.addNum(F.checksum_status, off + 6, 0, root, CK_UNVERIFIED, GENERATED);
    }
    const pay = off + UDP_HEADER_SIZE;
    const avail = p.avail(pay, uend);
    if (avail > 0 && tree) p.add(F.payload, pay, avail, root);
    if (inErr && avail === 0) return;
    // a payload of which nothing was captured stops here, as in tshark 4.0 ("UDP truncated":
    // no payload item, no payload dissector); an empty payload goes on (to show nothing)
    if (avail === 0 && uend > pay) p.need(pay, 1, uend); // throws TRUNCATED
    // the header facts a payload dissector may need (the PMIPv6 demultiplexer), without
    // reading the tree back: length and ports (+1, so 0 means "no UDP header")
    const sc = p.scratch;
    sc[SLOT_UDP_LEN] = p.u16(off + 4);
    sc[SLOT_UDP_SPORT] = sport + 1;
    sc[SLOT_UDP_DPORT] = dport + 1;
    const sub = portDissector(UDP_PORT, sport, dport, p, pay, uend);
    if (sub) {
      p.call(sub, pay, uend, parent);
      return;
    }
    const data = DATA.get(0);
    if (data) p.call(data, pay, uend, parent);
  },
};

table('ip.proto', 256).add(IP_PROTO_UDP, udpDissector);
