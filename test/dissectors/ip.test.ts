/**
 * IPv4 and IPv6: header fields, checksums, options, extension headers, fragments, tunnels and
 * the malformed / truncated cases. Frames are laid out from RFC 791 / RFC 8200 (2460) /
 * RFC 6275 §6.3 in test/fixtures/ip/build.ts; expected values are the octets written there or
 * their RFC 1071 checksums (the same frames agree with tshark 4.0 in ip-parity.test.ts).
 */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { cat, eth, inetSum, ip4, ip6, ipv4, ipv6, pseudo4, pseudo6, text, u16, u32, udp } from '../fixtures/ip/build.js';
import { udp4, udp6 } from '../fixtures/ip/frames.js';
import { cols, dissect, experts, protocols, value, values } from '../fixtures/ip/dissect.js';

const E4 = (p: Uint8Array) => eth(0x0800, p);
const E6 = (p: Uint8Array) => eth(0x86dd, p);

test('IPv4 header fields as tshark prints them', () => {
  const p = dissect(E4(ipv4({ proto: 17, tos: 0xb9, flags: 2, id: 0xbeef, ttl: 63, src: '10.1.2.3', dst: '10.4.5.6' },
    udp({ sport: 40000, dport: 40001, pseudo: pseudo4('10.1.2.3', '10.4.5.6', 17, 9) }, text('x')))));
  assert.equal(value(p, 'ip.version'), '4');
  assert.equal(value(p, 'ip.hdr_len'), '20'); // octets, as tshark
  assert.equal(value(p, 'ip.dsfield'), '0xb9');
  assert.equal(value(p, 'ip.dsfield.dscp'), '46');
  assert.equal(value(p, 'ip.dsfield.ecn'), '1');
  assert.equal(value(p, 'ip.len'), '29');
  assert.equal(value(p, 'ip.id'), '0xbeef');
  assert.equal(value(p, 'ip.flags'), '0x02');
  assert.equal(value(p, 'ip.flags.df'), '1');
  assert.equal(value(p, 'ip.flags.mf'), '0');
  assert.equal(value(p, 'ip.frag_offset'), '0');
  assert.equal(value(p, 'ip.ttl'), '63');
  assert.equal(value(p, 'ip.proto'), '17');
  assert.equal(value(p, 'ip.checksum.status'), '1');
  assert.equal(value(p, 'ip.checksum'), value(p, 'ip.checksum_calculated'));
  assert.deepEqual(values(p, 'ip.addr'), ['10.1.2.3', '10.4.5.6']);
  assert.deepEqual(values(p, 'ip.host'), ['10.1.2.3', '10.4.5.6']);
  assert.equal(value(p, 'ip.src_host'), '10.1.2.3');
  assert.equal(p.netVersion, 4);
  assert.deepEqual([cols(p).proto, cols(p).src, cols(p).dst], ['UDP', '10.1.2.3', '10.4.5.6']);
});

test('IPv4 bad header checksum: status 0, the expected value, an expert item', () => {
  const good = ipv4({ proto: 17 }, udp({ sport: 1, dport: 2 }, text('a')));
  const expected = inetSum(good.subarray(0, 10), good.subarray(12, 20));
  const p = dissect(E4(ipv4({ proto: 17, checksum: 0xdead }, udp({ sport: 1, dport: 2 }, text('a')))));
  assert.equal(value(p, 'ip.checksum'), '0xdead');
  assert.equal(value(p, 'ip.checksum.status'), '0');
  assert.equal(value(p, 'ip.checksum_calculated'), '0x' + expected.toString(16).padStart(4, '0'));
  assert.ok(experts(p).includes('ip.checksum_bad.expert'));
});

test('IPv4 options: NOP, record route, EOL; low TTL noted', () => {
  const opts = [1, 7, 11, 8, ...ip4('10.0.0.1'), ...ip4('0.0.0.0'), 0, 0, 0, 0];
  const p = dissect(E4(ipv4({ proto: 17, ttl: 1, options: opts }, udp({ sport: 1, dport: 2 }, text('a')))));
  assert.equal(value(p, 'ip.hdr_len'), '36');
  assert.deepEqual(values(p, 'ip.opt.type'), ['1', '7', '0']);
  assert.deepEqual(values(p, 'ip.opt.len'), ['11']);
  assert.equal(value(p, 'ip.opt.ptr'), '8');
  assert.equal(value(p, 'ip.rec_rt'), '10.0.0.1');
  assert.equal(value(p, 'ip.empty_rt'), '0.0.0.0');
  assert.ok(experts(p).includes('ip.ttl.too_small'));
});

test('IPv4 loose source route: the final destination is ip.dst, the pseudo-header and the column', () => {
  const opts = [0x83, 7, 4, ...ip4('10.9.9.9'), 0];
  const pl = text('lsrr');
  const u = udp({ sport: 40000, dport: 40001, pseudo: pseudo4('192.0.2.1', '10.9.9.9', 17, 8 + pl.length) }, pl);
  const p = dissect(E4(ipv4({ proto: 17, options: opts, src: '192.0.2.1', dst: '198.51.100.2' }, u)));
  assert.equal(value(p, 'ip.cur_rt'), '198.51.100.2');
  assert.equal(value(p, 'ip.dst'), '10.9.9.9');
  assert.deepEqual(values(p, 'ip.addr'), ['192.0.2.1', '10.9.9.9']);
  assert.equal(value(p, 'udp.checksum.status'), '1');
  assert.equal(cols(p).dst, '10.9.9.9');
});

test('IPv4 option with a bad length stops the walk with an expert item', () => {
  const p = dissect(E4(ipv4({ proto: 17, options: [1, 0x94, 40, 0] }, udp({ sport: 1, dport: 2 }, text('a')))));
  assert.deepEqual(values(p, 'ip.opt.type'), ['1']);
  assert.ok(experts(p).includes('ip.opt.len.invalid'));
  assert.equal(protocols(p), 'eth:ethertype:ip:udp:data');
});

test('IPv4 fragments are data (no reassembly), first or not', () => {
  const first = dissect(E4(ipv4({ proto: 17, flags: 1, id: 0x5555 }, udp({ sport: 1, dport: 2, len: 48 }, text('0123456789abcdef')))));
  assert.equal(protocols(first), 'eth:ethertype:ip:data');
  assert.equal(cols(first).info, 'Fragmented IP protocol (proto=UDP 17, off=0, ID=5555)');
  const later = dissect(E4(ipv4({ proto: 17, frag: 3, id: 0x5556 }, text('tail'))));
  assert.equal(value(later, 'ip.frag_offset'), '3');
  assert.equal(cols(later).info, 'Fragmented IP protocol (proto=UDP 17, off=24, ID=5556)');
});

test('IPv4 malformed lengths: header length < 20 and total length < header', () => {
  const a = dissect(E4(ipv4({ proto: 17, ihl: 4 }, text('zzzzzzzzzzzzzzzzzzzzzzzzzz'))));
  assert.equal(value(a, 'ip.hdr_len'), '16');
  assert.equal(value(a, 'ip.len'), '');
  assert.deepEqual(experts(a), ['ip.bogus_header_length', '_ws.malformed.expert']);
  assert.ok(cols(a).info.startsWith('Bogus IP header length (16, must be at least 20)'));
  const b = dissect(E4(ipv4({ proto: 17, totalLen: 16 }, text('zzzzzzzzzzzzzzzzzzzzzzzzzz'))));
  assert.equal(value(b, 'ip.len'), '16');
  assert.deepEqual(experts(b), ['ip.bogus_ip_length', '_ws.malformed.expert']);
});

test('IPv4 total length: longer than the frame (expert, datagram to frame end), 0 (TSO), shorter (trailer)', () => {
  const long = dissect(E4(ipv4({ proto: 17, totalLen: 200 }, udp({ sport: 1, dport: 2 }, text('short')))));
  assert.equal(value(long, 'ip.len'), '200');
  assert.ok(experts(long).includes('ip.bogus_ip_length'));
  assert.equal(value(long, 'udp.length'), '13');
  const tso = dissect(E4(ipv4({ proto: 17, totalLen: 0 }, udp({ sport: 1, dport: 2 }, text('tso')))));
  assert.equal(value(tso, 'ip.len'), '31');
  const trailer = dissect(cat(E4(udp4(1, 2, text('0123456789012345678901234567890'))), text('TRAILER!')));
  assert.equal(value(trailer, 'eth.trailer'), '54524149');
});

test('IPv4 header cut by the snap length: fields up to the cut, truncated, earlier layers kept', () => {
  const p = dissect(E4(udp4(1, 2, text('hello'))), 1, 24);
  assert.equal(value(p, 'eth.type'), '0x0800');
  assert.equal(value(p, 'ip.proto'), '17');
  assert.equal(value(p, 'ip.checksum'), '');
  assert.deepEqual(experts(p), ['_ws.short.expert']);
  assert.equal(protocols(p), 'eth:ethertype:ip');
});

test('IPv4 version 6 on an IPv4 Ethertype continues as IPv6; other versions stop', () => {
  const p = dissect(E4(udp6(1, 2, text('x'))));
  assert.equal(protocols(p), 'eth:ethertype:ip:ipv6:udp:data');
  assert.deepEqual(values(p, 'ip.version'), ['6', '6']);
  const q = dissect(E4(ipv4({ proto: 17, version: 5 }, text('v5'))));
  assert.equal(cols(q).info, 'Bogus IPv4 version (5, must be 4)');
  assert.ok(experts(q).includes('ip.bogus_ip_version'));
});

test('tunnels nest: IPv4-in-IPv4, IPv6-in-IPv4, IPv4-in-IPv6, IPv6-in-IPv6; inner addresses win the columns', () => {
  const a = dissect(E4(ipv4({ src: '203.0.113.1', dst: '203.0.113.2', proto: 4 }, udp4(1, 2, text('in'), { src: '10.1.1.1', dst: '10.2.2.2' }))));
  assert.equal(protocols(a), 'eth:ethertype:ip:ip:udp:data');
  assert.deepEqual(values(a, 'ip.src'), ['203.0.113.1', '10.1.1.1']);
  assert.deepEqual([cols(a).src, cols(a).dst], ['10.1.1.1', '10.2.2.2']);
  assert.equal(value(a, 'udp.checksum.status'), '1'); // the inner pseudo-header
  assert.equal(protocols(dissect(E4(ipv4({ proto: 41 }, udp6(1, 2, text('x')))))), 'eth:ethertype:ip:ipv6:udp:data');
  assert.equal(protocols(dissect(E6(ipv6({ nxt: 4 }, udp4(1, 2, text('x')))))), 'eth:ethertype:ipv6:ip:udp:data');
  const d = dissect(E6(ipv6({ src: '2001:db8:ffff::1', dst: '2001:db8:ffff::2', nxt: 41 }, udp6(1, 2, text('x')))));
  assert.equal(protocols(d), 'eth:ethertype:ipv6:ipv6:udp:data');
  assert.deepEqual([cols(d).src, cols(d).dst], ['2001:db8::1', '2001:db8:0:1::2']);
});

test('IPv6 fixed header, hidden companions and the pseudo-header offsets', () => {
  const p = dissect(E6(ipv6({ nxt: 17, tclass: 0xb8, flow: 0x12345, hlim: 7 }, udp({ sport: 1, dport: 2, pseudo: pseudo6('2001:db8::1', '2001:db8::2', 17, 9) }, text('x')))));
  assert.equal(value(p, 'ipv6.version'), '6');
  assert.equal(value(p, 'ip.version'), '6'); // hidden, as Wireshark adds it
  assert.equal(value(p, 'ipv6.tclass'), '0x000000b8');
  assert.equal(value(p, 'ipv6.tclass.dscp'), '46');
  assert.equal(value(p, 'ipv6.flow'), '0x012345');
  assert.equal(value(p, 'ipv6.plen'), '9');
  assert.equal(value(p, 'ipv6.hlim'), '7');
  assert.deepEqual(values(p, 'ipv6.addr'), ['2001:db8::1', '2001:db8::2']);
  assert.deepEqual(values(p, 'ipv6.host'), ['2001:db8::1', '2001:db8::2']);
  assert.equal(p.netVersion, 6);
  assert.equal(p.netSrc, 14 + 8);
  assert.equal(p.netDst, 14 + 24);
  assert.equal(value(p, 'udp.checksum.status'), '1');
});

test('IPv6 hop-by-hop (router alert, PadN) then UDP', () => {
  const u = udp({ sport: 1, dport: 2, pseudo: pseudo6('2001:db8::1', '2001:db8::2', 17, 9) }, text('x'));
  const p = dissect(E6(ipv6({ nxt: 17, exts: [{ type: 0, body: [5, 2, 0, 0, 1, 0] }] }, u)));
  assert.equal(protocols(p), 'eth:ethertype:ipv6:ipv6.hopopts:udp:data');
  assert.equal(value(p, 'ipv6.hopopts.nxt'), '17');
  assert.equal(value(p, 'ipv6.hopopts.len_oct'), '8');
  assert.deepEqual(values(p, 'ipv6.opt.type'), ['0x05', '0x01']);
  assert.equal(value(p, 'ipv6.opt.router_alert'), '0');
  assert.deepEqual(experts(p), []);
});

test('IPv6 hop-by-hop must come first', () => {
  const p = dissect(E6(ipv6({ nxt: 59, exts: [{ type: 60, body: [1, 4, 0, 0, 0, 0] }, { type: 0, body: [1, 4, 0, 0, 0, 0] }] }, new Uint8Array(0))));
  assert.equal(protocols(p), 'eth:ethertype:ipv6:ipv6.dstopts:ipv6.hopopts');
  assert.ok(experts(p).includes('ipv6.hopopts.not_first'));
  assert.equal(cols(p).info, 'IPv6 no next header');
});

test('IPv6 destination options: Pad1, PadN, experimental, unknown, tunnel limit, a Pad1 as last octet', () => {
  const p = dissect(E6(ipv6({ nxt: 59, exts: [{ type: 60, body: [0, 0, 1, 2, 0, 0, 0x1e, 2, 0xab, 0xcd, 0x11, 1, 7, 4, 1, 3, 1, 4, 0, 0, 0, 0] }] }, new Uint8Array(0))));
  assert.deepEqual(values(p, 'ipv6.opt.type'), ['0x00', '0x00', '0x01', '0x1e', '0x11', '0x04', '0x01']);
  assert.equal(value(p, 'ipv6.opt.experimental'), 'abcd');
  assert.equal(value(p, 'ipv6.opt.unknown'), '07');
  assert.equal(value(p, 'ipv6.opt.tel'), '3');
  // RFC 8200 §4.2 allows Pad1 anywhere; tshark 4.0 wrongly reads a length octet after a final Pad1
  const q = dissect(E6(ipv6({ nxt: 59, exts: [{ type: 60, body: [1, 3, 0, 0, 0, 0] }] }, new Uint8Array(0))));
  assert.deepEqual(values(q, 'ipv6.opt.type'), ['0x01', '0x00']);
  assert.ok(!experts(q).includes('_ws.malformed.expert'));
});

test('IPv6 routing type 0: addresses, deprecated, final destination for the checksum and column', () => {
  const pl = text('rt0');
  const u = udp({ sport: 40000, dport: 40006, pseudo: pseudo6('2001:db8::1', '2001:db8:bb::2', 17, 8 + pl.length) }, pl);
  const p = dissect(E6(ipv6({ nxt: 17, exts: [{ type: 43, body: [0, 2, 0, 0, 0, 0, ...ip6('2001:db8:aa::1'), ...ip6('2001:db8:bb::2')] }] }, u)));
  assert.deepEqual(values(p, 'ipv6.routing.src.addr'), ['2001:db8:aa::1', '2001:db8:bb::2']);
  assert.equal(value(p, 'ipv6.routing.segleft'), '2');
  assert.ok(experts(p).includes('ipv6.routing.deprecated'));
  assert.equal(value(p, 'udp.checksum.status'), '1');
  assert.equal(cols(p).dst, '2001:db8:bb::2');
});

test('IPv6 type 2 routing header (Mobile IPv6): the home address is the final destination', () => {
  const hoa = '2001:db8:99::1';
  const pl = text('x');
  const u = udp({ sport: 1, dport: 2, pseudo: pseudo6('2001:db8::1', hoa, 17, 9) }, pl);
  const p = dissect(E6(ipv6({ nxt: 17, exts: [{ type: 43, body: [2, 1, 0, 0, 0, 0, ...ip6(hoa)] }] }, u)));
  assert.equal(value(p, 'ipv6.routing.mipv6.home_address'), hoa);
  assert.equal(value(p, 'udp.checksum.status'), '1');
  assert.equal(cols(p).dst, hoa);
  assert.equal(value(p, 'ipv6.dst'), '2001:db8::2');
});

test('IPv6 Home Address option (RFC 6275 §6.3) replaces the source in the pseudo-header', () => {
  const hoa = '2001:db8:ff::9';
  const pl = text('hao');
  const body = [1, 2, 0, 0, 0xc9, 16, ...ip6(hoa)];
  const good = dissect(E6(ipv6({ nxt: 17, exts: [{ type: 60, body }] }, udp({ sport: 1, dport: 2, pseudo: pseudo6(hoa, '2001:db8::2', 17, 8 + pl.length) }, pl))));
  assert.equal(value(good, 'ipv6.opt.mipv6.home_address'), hoa);
  assert.equal(value(good, 'udp.checksum.status'), '1');
  assert.equal(cols(good).src, hoa);
});

test('IPv6 fragment header: first and later fragments are data, with tshark\'s Info', () => {
  const first = dissect(E6(ipv6({ nxt: 17, exts: [{ type: 44, body: [0, ...u16(1), ...u32(0xcafe0001)] }] }, udp({ sport: 1, dport: 2, len: 72, checksum: 7 }, text('first')))));
  assert.equal(protocols(first), 'eth:ethertype:ipv6:ipv6.fraghdr:data');
  assert.equal(value(first, 'ipv6.fraghdr.more'), '1');
  assert.equal(value(first, 'ipv6.fraghdr.ident'), '0xcafe0001');
  assert.equal(cols(first).info, 'IPv6 fragment (off=0 more=y ident=0xcafe0001 nxt=17)');
  const later = dissect(E6(ipv6({ nxt: 17, exts: [{ type: 44, body: [0, ...u16(8 << 3), ...u32(0xcafe0001)] }] }, text('middle'))));
  assert.equal(value(later, 'ipv6.fraghdr.offset'), '8');
  assert.equal(cols(later).info, 'IPv6 fragment (off=64 more=n ident=0xcafe0001 nxt=17)');
});

test('IPv6 payload length: larger than the frame (warning), 0 (TSO note; the payload is empty)', () => {
  const long = dissect(E6(ipv6({ nxt: 17, plen: 300 }, udp({ sport: 1, dport: 2, checksum: 1 }, text('x')))));
  assert.ok(experts(long).includes('ipv6.plen_exceeds_framing'));
  assert.equal(value(long, 'udp.length'), '9');
  const zero = dissect(E6(ipv6({ nxt: 17, plen: 0 }, udp({ sport: 1, dport: 2, checksum: 1 }, text('zero6')))));
  assert.ok(experts(zero).includes('ipv6.plen_zero'));
  assert.ok(experts(zero).includes('_ws.malformed.expert'));
});

test('IPv6 with another version is rejected (no "ipv6" layer) and shown as data', () => {
  const p = dissect(E6(udp4(1, 2, text('v4'))));
  assert.equal(protocols(p), 'eth:ethertype:data');
  assert.equal(value(p, 'ipv6.version'), '4');
  assert.ok(experts(p).includes('ipv6.bogus_ipv6_version'));
});

test('IPv6 unknown next header: data and tshark\'s Info', () => {
  const p = dissect(E6(ipv6({ nxt: 253 }, text('exp'))));
  assert.equal(protocols(p), 'eth:ethertype:ipv6:data');
  assert.equal(cols(p).info, 'Unknown IP Protocol: Unknown (253)');
});
