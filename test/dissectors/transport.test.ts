/**
 * UDP, TCP, ICMP and ICMPv6: ports and the "udp.port"/"tcp.port" dispatch order, lengths,
 * pseudo-header checksums, TCP flags/options and the Info column, ICMP echo / errors with the
 * quoted datagram. Frames are laid out from RFC 768 / 9293 / 792 / 4443 in
 * test/fixtures/ip/build.ts; expected texts are tshark 4.0's for the same frames.
 */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { table, type Dissector } from '../../src/engine/dispatch.js';
import { defineFields } from '../../src/engine/fields.js';
import type { Packet } from '../../src/engine/packet.js';
import { eth, icmp, ipv4, ipv6, pseudo4, pseudo6, tcp, text, u16, u32, udp } from '../fixtures/ip/build.js';
import { udp4, udp6 } from '../fixtures/ip/frames.js';
import { cols, dissect, experts, protocols, value, values } from '../fixtures/ip/dissect.js';

const A = '192.0.2.1';
const B = '198.51.100.2';
const E4 = (p: Uint8Array) => eth(0x0800, p);
const E6 = (p: Uint8Array) => eth(0x86dd, p);

function tcp4(o: Parameters<typeof tcp>[0], payload: Uint8Array = new Uint8Array(0)): Uint8Array {
  const len = 20 + (o.options?.length ?? 0) + payload.length;
  return ipv4({ src: A, dst: B, proto: 6 }, tcp({ pseudo: pseudo4(A, B, 6, len), ...o }, payload));
}

// A test protocol on two UDP ports, to see which port the demultiplexer tries first.
const T = defineFields({
  t: { abbrev: 'gretool.test.udpport', name: 'UDP port test', type: 'protocol', wireshark: false },
  port: { abbrev: 'gretool.test.udpport.port', name: 'Port that selected me', type: 'uint16', wireshark: false },
});
function portDissector(port: number, accept: boolean): Dissector {
  return {
    proto: T.t,
    name: 'gretool.test.udpport',
    accepts: () => accept,
    dissect(p: Packet, off: number, _end: number, parent: number): void {
      p.pushProto(T.t);
      p.addNum(T.port, off, 0, p.add(T.t, off, 0, parent), port);
    },
  };
}
table('udp.port').add(45001, portDissector(45001, true));
table('udp.port').add(45002, portDissector(45002, true));
table('udp.port').add(45003, portDissector(45003, false));

test('UDP: ports, hidden udp.port pair, length, good checksum, payload, Info', () => {
  const p = dissect(E4(udp4(40000, 40053, text('hello'))));
  assert.equal(value(p, 'udp.srcport'), '40000');
  assert.equal(value(p, 'udp.dstport'), '40053');
  assert.deepEqual(values(p, 'udp.port'), ['40000', '40053']);
  assert.equal(value(p, 'udp.length'), '13');
  assert.equal(value(p, 'udp.checksum.status'), '1');
  assert.equal(value(p, 'udp.checksum'), value(p, 'udp.checksum_calculated'));
  assert.equal(value(p, 'udp.payload'), '68656c6c6f');
  assert.deepEqual([cols(p).proto, cols(p).info], ['UDP', '40000 \u2192 40053 Len=5']);
});

test('UDP payload: the lower port is tried first, then the higher one, skipping refusals and port 0', () => {
  assert.equal(value(dissect(E4(udp4(45002, 45001, text('x')))), 'gretool.test.udpport.port'), '45001');
  assert.equal(value(dissect(E4(udp4(45001, 45002, text('x')))), 'gretool.test.udpport.port'), '45001');
  assert.equal(value(dissect(E4(udp4(45003, 45002, text('x')))), 'gretool.test.udpport.port'), '45002');
  assert.equal(value(dissect(E4(udp4(0, 45002, text('x')))), 'gretool.test.udpport.port'), '45002');
  assert.equal(protocols(dissect(E4(udp4(45003, 40001, text('x'))))), 'eth:ethertype:ip:udp:data');
});

test('UDP checksums: bad (expected value + Info), 0 over IPv4 (not present), 0 over IPv6 (illegal)', () => {
  const bad = dissect(E4(ipv4({ src: A, dst: B, proto: 17 }, udp({ sport: 5000, dport: 5001, checksum: 0x1111 }, text('bad sums')))));
  assert.equal(value(bad, 'udp.checksum.status'), '0');
  const good = udp({ sport: 5000, dport: 5001, pseudo: pseudo4(A, B, 17, 16) }, text('bad sums'));
  assert.equal(value(bad, 'udp.checksum_calculated'), '0x' + ((good[6]! << 8) | good[7]!).toString(16).padStart(4, '0'));
  assert.ok(experts(bad).includes('udp.checksum.bad'));
  assert.equal(cols(bad).info, '5000 \u2192 5001 Len=8 [UDP CHECKSUM INCORRECT]');
  const none = dissect(E4(ipv4({ proto: 17 }, udp({ sport: 1, dport: 2 }, text('x')))));
  assert.equal(value(none, 'udp.checksum.status'), '3');
  const illegal = dissect(E6(ipv6({ nxt: 17 }, udp({ sport: 1, dport: 2, checksum: 0 }, text('x')))));
  assert.equal(value(illegal, 'udp.checksum.status'), '4');
  assert.ok(experts(illegal).includes('udp.checksum.zero'));
  assert.ok(cols(illegal).info.endsWith(' [ILLEGAL CHECKSUM (0)]'));
  const six = dissect(E6(udp6(1, 2, text('ok'))));
  assert.equal(value(six, 'udp.checksum.status'), '1');
});

test('UDP lengths: < 8 stops, > IP payload is flagged and the IP payload used', () => {
  const short = dissect(E4(ipv4({ proto: 17 }, udp({ sport: 3000, dport: 3001, len: 4, checksum: 0 }, text('x')))));
  assert.equal(value(short, 'udp.length'), '4');
  assert.equal(value(short, 'udp.checksum'), '');
  assert.ok(experts(short).includes('udp.length.bad'));
  assert.equal(cols(short).info, '3000 \u2192 3001 [BAD UDP LENGTH 4 < 8]');
  const long = dissect(E4(ipv4({ proto: 17 }, udp({ sport: 3000, dport: 3001, len: 100, checksum: 0 }, text('xyz')))));
  assert.equal(cols(long).info, '3000 \u2192 3001 [BAD UDP LENGTH 100 > IP PAYLOAD LENGTH] Len=92');
  assert.equal(value(long, 'data.data'), '78797a');
});

test('UDP cut by the snap length: checksum unverified, captured payload shown', () => {
  const p = dissect(E4(udp4(41234, 45353, text('a longer payload that is cut by the snap length'))), 1, 50);
  assert.equal(value(p, 'udp.checksum.status'), '2');
  assert.equal(value(p, 'udp.payload'), '61206c6f6e676572');
  assert.ok(experts(p).includes('_ws.short.expert'));
});

test('TCP SYN with options: fields, option walk and tshark\'s Info (raw sequence numbers)', () => {
  const opts = [2, 4, ...u16(1460), 4, 2, 8, 10, ...u32(0x01020304), ...u32(0), 1, 3, 3, 7];
  const p = dissect(E4(tcp4({ sport: 49152, dport: 80, seq: 1000, flags: 0x002, options: opts })));
  assert.equal(value(p, 'tcp.seq'), '1000');
  assert.equal(value(p, 'tcp.seq_raw'), '1000');
  assert.equal(value(p, 'tcp.nxtseq'), '1001');
  assert.equal(value(p, 'tcp.hdr_len'), '40');
  assert.equal(value(p, 'tcp.flags'), '0x0002');
  assert.equal(value(p, 'tcp.flags.syn'), '1');
  assert.equal(value(p, 'tcp.flags.str'), '\u00b7'.repeat(10) + 'S\u00b7');
  assert.equal(value(p, 'tcp.checksum.status'), '1');
  assert.deepEqual(values(p, 'tcp.option_kind'), ['2', '4', '8', '1', '3']);
  assert.deepEqual(values(p, 'tcp.option_len'), ['4', '2', '10', '3']);
  assert.equal(value(p, 'tcp.options.mss_val'), '1460');
  assert.equal(value(p, 'tcp.options.wscale.multiplier'), '128');
  assert.equal(value(p, 'tcp.options.timestamp.tsval'), String(0x01020304));
  assert.equal(cols(p).info, '49152 \u2192 80 [SYN] Seq=1000 Win=64240 Len=0 MSS=1460 SACK_PERM TSval=16909060 TSecr=0 WS=128');
});

test('TCP flags in Wireshark\'s order, urgent pointer, payload and the bad checksum note', () => {
  const p = dissect(E4(tcp4({ sport: 40022, dport: 60000, seq: 0xfffffff0, ack: 77, flags: 0x0f1, urg: 3, win: 1000 }, text('urgent'))));
  assert.equal(cols(p).info, '40022 \u2192 60000 [FIN, ACK, URG, ECE, CWR] Seq=4294967280 Ack=77 Win=1000 Urg=3 Len=6');
  assert.equal(value(p, 'tcp.nxtseq'), String(0xfffffff0 + 7));
  assert.equal(value(p, 'tcp.payload'), '757267656e74');
  assert.equal(value(p, 'tcp.flags.str'), '\u00b7\u00b7\u00b7\u00b7CEUA\u00b7\u00b7\u00b7F');
  const bad = dissect(E4(tcp4({ sport: 80, dport: 49152, seq: 5, ack: 1001, flags: 0x014, win: 0, checksum: 0xbeef })));
  assert.equal(value(bad, 'tcp.checksum.status'), '0');
  assert.ok(experts(bad).includes('tcp.checksum_bad.expert'));
  assert.equal(cols(bad).info, '80 \u2192 49152 [RST, ACK] Seq=5 Ack=1001 Win=0 [TCP CHECKSUM INCORRECT] Len=0');
});

test('TCP SACK, an unknown option and EOL octets (the walk does not stop at EOL)', () => {
  const p = dissect(E4(tcp4({ sport: 43000, dport: 43001, seq: 1, ack: 2, flags: 0x010, options: [1, 1, 5, 10, ...u32(100), ...u32(200), 99, 4, 1, 2, 0, 0, 0, 0] })));
  assert.deepEqual(values(p, 'tcp.option_kind'), ['1', '1', '5', '99', '0', '0', '0', '0']);
  assert.equal(value(p, 'tcp.options.sack_le'), '100');
  assert.equal(value(p, 'tcp.options.sack.count'), '1');
  assert.equal(value(p, 'tcp.options.unknown.payload'), '0102');
  assert.ok(cols(p).info.endsWith('SLE=100 SRE=200'));
});

test('TCP bogus header length stops after the header length, as tshark', () => {
  const p = dissect(E4(ipv4({ proto: 6 }, tcp({ sport: 43000, dport: 43001, flags: 0x010, doff: 4, checksum: 0 }, text('x')))));
  assert.equal(value(p, 'tcp.hdr_len'), '16');
  assert.equal(value(p, 'tcp.len'), '5');
  assert.equal(value(p, 'tcp.flags'), '');
  assert.ok(experts(p).includes('tcp.bogus_header_length'));
  assert.equal(cols(p).info, '43000 \u2192 43001 [ACK] Seq=0 Ack=0 Win=64240, bogus TCP header length (16, must be at least 20)');
});

test('TCP over IPv6 verifies over the IPv6 pseudo-header', () => {
  const t = tcp({ sport: 43001, dport: 43000, seq: 7, ack: 1001, flags: 0x012, win: 0, options: [2, 4, ...u16(1440)], pseudo: pseudo6('2001:db8::2', '2001:db8::1', 6, 24) }, new Uint8Array(0));
  const p = dissect(E6(ipv6({ src: '2001:db8::2', dst: '2001:db8::1', nxt: 6 }, t)));
  assert.equal(value(p, 'tcp.checksum.status'), '1');
  assert.equal(cols(p).info, '43001 \u2192 43000 [SYN, ACK] Seq=7 Ack=1001 Win=0 Len=0 MSS=1440');
});

test('ICMP echo: big- and little-endian identifier views, Info with the IP TTL', () => {
  const p = dissect(E4(ipv4({ proto: 1, ttl: 1 }, icmp(8, 0, [...u16(0x1234), ...u16(1)], text('abcdefghijklmnop')))));
  assert.equal(value(p, 'icmp.type'), '8');
  assert.equal(value(p, 'icmp.checksum.status'), '1');
  assert.equal(value(p, 'icmp.ident'), '4660');
  assert.equal(value(p, 'icmp.ident_le'), '13330');
  assert.equal(value(p, 'icmp.seq_le'), '256');
  assert.equal(cols(p).info, 'Echo (ping) request  id=0x1234, seq=1/256, ttl=1');
  const reply = dissect(E4(ipv4({ proto: 1 }, icmp(0, 0, [...u16(0x1234), ...u16(1)], text('reply')))));
  assert.equal(cols(reply).info, 'Echo (ping) reply    id=0x1234, seq=1/256, ttl=64');
});

test('ICMP echo data that starts with a timeval near the frame time is split after it (as tshark)', () => {
  const ts = [0x40, 0x2c, 0x55, 0x65, 0, 0, 0, 0, 0x10, 0x27, 0, 0, 0, 0, 0, 0, 1, 2, 3, 4]; // LE 1700080704 s
  const p = dissect(E4(ipv4({ proto: 1 }, icmp(8, 0, [0, 1, 0, 2], new Uint8Array(ts)))), 1, undefined, 1700000007);
  assert.equal(value(p, 'data.len'), '12');
});

test('ICMP errors: the quoted datagram is dissected without touching the columns', () => {
  const quoted = udp4(41234, 40053, text('q')).subarray(0, 28);
  const p = dissect(E4(ipv4({ proto: 1, src: B, dst: A }, icmp(3, 3, [0, 0, 0, 0], quoted))));
  assert.equal(protocols(p), 'eth:ethertype:ip:icmp:ip:udp');
  assert.equal(value(p, 'icmp.unused'), '00000000');
  assert.deepEqual(values(p, 'ip.src'), [B, A]);
  assert.equal(value(p, 'udp.checksum.status'), '2'); // the quotation ends before the datagram does
  assert.deepEqual(cols(p), { proto: 'ICMP', src: B, dst: A, info: 'Destination unreachable (Port unreachable)' });
  assert.deepEqual(experts(p), []);
  const frag = dissect(E4(ipv4({ proto: 1 }, icmp(3, 4, [0, 0, ...u16(1400)], quoted))));
  assert.equal(value(frag, 'icmp.mtu'), '1400');
  assert.equal(cols(frag).info, 'Destination unreachable (Fragmentation needed)');
  const ttl = dissect(E4(ipv4({ proto: 1 }, icmp(11, 0, [0, 0, 0, 0], quoted.subarray(0, 10)))));
  assert.equal(protocols(ttl), 'eth:ethertype:ip:icmp:ip');
  assert.deepEqual(experts(ttl), []); // a quotation ending inside the header is not malformed
  assert.equal(cols(ttl).info, 'Time-to-live exceeded (Time to live exceeded in transit)');
});

test('ICMP error quoting a TCP header: the early sequence number, nothing malformed', () => {
  const quoted = tcp4({ sport: 43000, dport: 43001, seq: 1, flags: 2 }).subarray(0, 28);
  const p = dissect(E4(ipv4({ proto: 1 }, icmp(11, 0, [0, 0, 0, 0], quoted))));
  assert.equal(protocols(p), 'eth:ethertype:ip:icmp:ip:tcp');
  assert.equal(value(p, 'tcp.seq'), '1');
  assert.deepEqual(experts(p), []);
});

test('ICMP other types: padded Info names, unknown types, timestamps, address mask', () => {
  assert.equal(cols(dissect(E4(ipv4({ proto: 1 }, icmp(50, 0, [1, 2, 3, 4], text('??')))))).info, 'Unknown ICMP (obsolete or malformed?)');
  const ts = dissect(E4(ipv4({ proto: 1 }, icmp(13, 0, [0, 1, 0, 2], new Uint8Array([...u32(1), ...u32(2), ...u32(3)])))));
  assert.equal(value(ts, 'icmp.transmit_timestamp'), '3');
  assert.equal(cols(ts).info, 'Timestamp request    id=0x0001, seq=2/512, ttl=64');
  const redirect = dissect(E4(ipv4({ proto: 1 }, icmp(5, 1, [10, 0, 0, 254], udp4(1, 2, text('q')).subarray(0, 28)))));
  assert.equal(value(redirect, 'icmp.redir_gw'), '10.0.0.254');
  assert.equal(cols(redirect).info, 'Redirect             (Redirect for host)');
});

test('ICMP cut inside its 8-octet header: no ICMP field, truncated', () => {
  const p = dissect(E4(ipv4({ proto: 1 }, icmp(8, 0, [0, 1, 0, 2], text('abcdefgh')))), 1, 38);
  assert.equal(protocols(p), 'eth:ethertype:ip:icmp');
  assert.equal(value(p, 'icmp.type'), '');
  assert.ok(experts(p).includes('_ws.short.expert'));
});

test('ICMPv6 echo, errors with the quoted IPv6 packet, unknown types, bad checksum', () => {
  const m = icmp(128, 0, [...u16(0x0102), ...u16(7)], text('ping6'), { pseudo: pseudo6('2001:db8::1', '2001:db8::2', 58, 13) });
  const p = dissect(E6(ipv6({ nxt: 58 }, m)));
  assert.equal(value(p, 'icmpv6.echo.identifier'), '0x0102');
  assert.equal(value(p, 'icmpv6.echo.sequence_number'), '7');
  assert.equal(value(p, 'icmpv6.checksum.status'), '1');
  assert.equal(cols(p).info, 'Echo (ping) request id=0x0102, seq=7, hop limit=64');

  const inner = udp6(40000, 40009, text('quoted'));
  const err = icmp(1, 4, [0, 0, 0, 0], inner, { pseudo: pseudo6('2001:db8::2', '2001:db8::1', 58, 8 + inner.length) });
  const q = dissect(E6(ipv6({ src: '2001:db8::2', dst: '2001:db8::1', nxt: 58 }, err)));
  assert.equal(protocols(q), 'eth:ethertype:ipv6:icmpv6:ipv6:udp:data');
  assert.deepEqual(cols(q), { proto: 'ICMPv6', src: '2001:db8::2', dst: '2001:db8::1', info: 'Destination Unreachable (Port unreachable)' });
  assert.deepEqual(values(q, 'udp.checksum.status'), ['1']);

  const big = icmp(2, 0, u32(1280), new Uint8Array(0), { pseudo: pseudo6('2001:db8::1', '2001:db8::2', 58, 8) });
  const r = dissect(E6(ipv6({ nxt: 58 }, big)));
  assert.equal(value(r, 'icmpv6.mtu'), '1280');
  assert.ok(experts(r).includes('_ws.malformed.expert')); // an error without the invoking packet, as tshark

  const odd = icmp(200, 1, [1, 2, 3, 4], text('??'), { pseudo: pseudo6('2001:db8::1', '2001:db8::99', 58, 10) });
  const s = dissect(E6(ipv6({ nxt: 58 }, odd)));
  assert.equal(value(s, 'icmpv6.data'), '010203043f3f');
  assert.equal(value(s, 'icmpv6.checksum.status'), '0');
  assert.deepEqual(experts(s), ['icmpv6.checksum_bad.expert', 'icmpv6.undecoded.type']);
  assert.equal(cols(s).info, 'Private experimentation');
});
