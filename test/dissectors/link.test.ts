/**
 * Link layers: Ethernet II / 802.3, 802.1Q / 802.1ad / 0x9100 tag stacks, Linux cooked v1/v2,
 * BSD null in both byte orders, raw IP. Frames are built byte by byte in
 * test/fixtures/ip/build.ts from IEEE 802.3/802.1Q and the tcpdump LINKTYPE_* descriptions;
 * expected values are the octets written there (and agree with tshark 4.0, see ip-parity.test.ts).
 */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { cat, eth, ipv4, mac, nullBE, nullLE, sll, sll2, text, u16, udp, vlanTag } from '../fixtures/ip/build.js';
import { udp4, udp6 } from '../fixtures/ip/frames.js';
import { cols, dissect, experts, protocols, value, values } from '../fixtures/ip/dissect.js';
import { nullHeaderValue } from '../../src/dissectors/null/index.js';

const IP_UDP = udp4(40000, 40001, text('payload'));

test('Ethernet II: addresses with their hidden companions, in tshark order', () => {
  const p = dissect(eth(0x0800, IP_UDP, { dst: 'ff:ff:ff:ff:ff:ff', src: '00:11:22:33:44:55' }));
  assert.equal(value(p, 'eth.dst'), 'ff:ff:ff:ff:ff:ff');
  assert.equal(value(p, 'eth.src'), '00:11:22:33:44:55');
  assert.deepEqual(values(p, 'eth.addr'), ['ff:ff:ff:ff:ff:ff', '00:11:22:33:44:55']);
  assert.equal(value(p, 'eth.dst.oui'), String(0xffffff));
  assert.deepEqual(values(p, 'eth.addr.oui'), [String(0xffffff), String(0x001122)]);
  assert.equal(value(p, 'eth.dst.ig'), '1');
  assert.equal(value(p, 'eth.dst.lg'), '1');
  assert.equal(value(p, 'eth.src.ig'), '0');
  assert.deepEqual(values(p, 'eth.ig'), ['1', '0']);
  assert.equal(value(p, 'eth.type'), '0x0800');
  assert.equal(protocols(p), 'eth:ethertype:ip:udp:data');
  // tunnelled or not, the IP addresses win the columns
  assert.equal(cols(p).src, '192.0.2.1');
  assert.equal(cols(p).dst, '198.51.100.2');
});

test('Ethernet: a group source address is flagged', () => {
  const p = dissect(eth(0x0800, IP_UDP, { src: '01:00:5e:00:00:01' }));
  assert.ok(experts(p).includes('eth.src_not_group'));
});

test('Ethernet: zero padding to 60 octets is eth.padding, no trailer', () => {
  const short = eth(0x0800, udp4(1, 2, text('p')));
  const p = dissect(cat(short, new Uint8Array(60 - short.length)));
  assert.equal(value(p, 'eth.padding'), '00'.repeat(60 - short.length));
  assert.equal(value(p, 'eth.trailer'), '');
  assert.equal(value(p, 'eth.fcs'), '');
});

test('Ethernet: non-zero padding is a trailer (with Wireshark\'s note)', () => {
  const short = eth(0x0800, udp4(1, 2, text('p')));
  const p = dissect(cat(short, new Uint8Array(60 - short.length).fill(0xaa)));
  assert.equal(value(p, 'eth.padding'), '');
  assert.equal(value(p, 'eth.trailer'), 'aa'.repeat(60 - short.length));
  assert.ok(experts(p).includes('eth.padding_bad'));
});

test('Ethernet: a 4+ octet trailer on a frame of 64 octets or more ends with a (guessed) FCS', () => {
  const f = eth(0x0800, udp4(10, 20, text('trailer test payload 0123456789')));
  const p = dissect(cat(f, text('TRAILER!')));
  assert.equal(value(p, 'eth.trailer'), '54524149'); // "TRAI"
  assert.equal(value(p, 'eth.fcs'), '0x4c455221'); // "LER!"
  assert.equal(value(p, 'eth.fcs.status'), '2'); // unverified, as tshark without eth.check_fcs
});

test('Ethernet: the trailer belongs to the innermost tag that carried the datagram', () => {
  const d = eth(0x8100, vlanTag(0, 0, 7, 0x0800, udp4(3, 4, text('v'))));
  const p = dissect(cat(d, new Uint8Array(60 - d.length)));
  assert.equal(value(p, 'eth.padding'), '00'.repeat(60 - d.length));
  assert.equal(value(p, 'vlan.trailer'), '');
  assert.equal(value(p, 'eth.trailer'), '');
});

test('Ethernet: an Ethertype nobody dissects is data, labelled like tshark', () => {
  const p = dissect(eth(0x88b5, text('local experimental')));
  assert.equal(protocols(p), 'eth:ethertype:data');
  assert.equal(cols(p).proto, '0x88b5');
  assert.equal(cols(p).info, 'Local Experimental Ethertype 1');
  assert.equal(cols(p).src, '02:aa:bb:cc:dd:ee');
});

test('Ethernet: 802.3 length frames and invalid length/type values', () => {
  const p = dissect(cat(mac('00:11:22:33:44:55'), mac('02:aa:bb:cc:dd:ee'), u16(4), [0xaa, 0xaa, 3, 0]));
  assert.equal(value(p, 'eth.len'), '4');
  assert.equal(value(p, 'data.data'), 'aaaa0300');
  const q = dissect(eth(1510, text('xx')));
  assert.equal(value(q, 'eth.invalid_lentype'), '0x05e6'); // BASE_HEX_DEC
  assert.ok(experts(q).includes('eth.invalid_lentype.expert'));
});

test('Ethernet cut inside its header: truncated, nothing decoded, destination column kept', () => {
  const p = dissect(eth(0x0800, IP_UDP), 1, 10);
  assert.equal(protocols(p), 'eth');
  assert.equal(value(p, 'eth.dst'), '');
  assert.ok(experts(p).includes('_ws.short.expert'));
  assert.equal(cols(p).dst, '00:11:22:33:44:55');
  assert.equal(cols(p).src, '');
});

test('802.1Q with priority and DEI, then 802.1ad QinQ and the old 0x9100 stack', () => {
  const p = dissect(eth(0x8100, vlanTag(5, 1, 100, 0x0800, IP_UDP)));
  assert.equal(value(p, 'vlan.priority'), '5');
  assert.equal(value(p, 'vlan.dei'), '1');
  assert.equal(value(p, 'vlan.id'), '100');
  assert.equal(value(p, 'vlan.etype'), '0x0800');
  assert.equal(cols(p).proto, 'UDP');

  const q = dissect(eth(0x88a8, vlanTag(0, 1, 200, 0x8100, vlanTag(3, 0, 300, 0x0800, IP_UDP))));
  assert.equal(protocols(q), 'eth:ethertype:ieee8021ad:ethertype:vlan:ethertype:ip:udp:data');
  assert.equal(value(q, 'ieee8021ad.id'), '200');
  assert.equal(value(q, 'ieee8021ad.dei'), '1');
  assert.equal(value(q, 'ieee8021ah.etype'), '0x8100');
  assert.equal(value(q, 'vlan.id'), '300');

  const r = dissect(eth(0x9100, vlanTag(1, 0, 10, 0x8100, vlanTag(2, 0, 20, 0x0800, IP_UDP))));
  assert.deepEqual(values(r, 'vlan.id'), ['10', '20']);
  assert.equal(protocols(r), 'eth:ethertype:vlan:ethertype:vlan:ethertype:ip:udp:data');
});

test('802.1Q tag cut after its TCI: the tag fields are kept, then truncated', () => {
  const p = dissect(eth(0x8100, vlanTag(0, 0, 5, 0x0800, IP_UDP)), 1, 16);
  assert.equal(value(p, 'vlan.id'), '5');
  assert.equal(value(p, 'vlan.etype'), '');
  assert.ok(cols(p).info.startsWith('PRI: 0  DEI: 0  ID: 5'), cols(p).info);
  assert.ok(experts(p).includes('_ws.short.expert'));
});

test('Linux cooked v1: address, unused octets, Ethertype', () => {
  const p = dissect(sll(0x0800, IP_UDP, { pkttype: 4 }), 113);
  assert.equal(value(p, 'sll.pkttype'), '4');
  assert.equal(value(p, 'sll.hatype'), '1');
  assert.equal(value(p, 'sll.halen'), '6');
  assert.equal(value(p, 'sll.src.eth'), '02:aa:bb:cc:dd:ee');
  assert.equal(value(p, 'sll.unused'), '0000');
  assert.equal(value(p, 'sll.etype'), '0x0800');
  assert.equal(protocols(p), 'sll:ethertype:ip:udp:data');
  const q = dissect(sll(0x86dd, udp6(1, 2, text('x')), { addr: [] }), 113);
  assert.equal(value(q, 'sll.unused'), '0000000000000000');
  assert.equal(value(q, 'sll.src.eth'), '');
  const r = dissect(sll(0x0800, IP_UDP, { addr: [10, 0, 0, 1] }), 113);
  assert.equal(value(r, 'sll.src.ipv4'), '10.0.0.1');
});

test('Linux cooked v2: protocol first, interface index, one-octet type and length', () => {
  const p = dissect(sll2(0x86dd, udp6(1, 2, text('x')), { ifindex: 7, pkttype: 0 }), 276);
  assert.equal(value(p, 'sll.etype'), '0x86dd');
  assert.equal(value(p, 'sll.ifindex'), '7');
  assert.equal(value(p, 'sll.pkttype'), '0');
  assert.equal(value(p, 'sll.halen'), '6');
  assert.equal(protocols(p), 'sll:ethertype:ipv6:udp:data');
});

test('BSD null: the family in either byte order, IRIX and Linux variants (packet-null.c rules)', () => {
  assert.equal(nullHeaderValue(0x00000002), 2); // little-endian AF_INET read on a little-endian host
  assert.equal(nullHeaderValue(0x02000000), 2); // big-endian AF_INET
  assert.equal(nullHeaderValue(0x1e000000), 30); // big-endian AF_INET6 (Darwin)
  assert.equal(nullHeaderValue(0x00020000), 2); // IRIX: 16-bit family in the upper half
  assert.equal(nullHeaderValue(0x00080000), 0x0800); // Linux: a byte-swapped Ethertype
  const le = dissect(nullLE(2, IP_UDP), 0);
  assert.equal(value(le, 'null.family'), '2');
  assert.equal(protocols(le), 'null:ip:udp:data');
  for (const af of [24, 28, 30]) {
    const p = dissect(nullBE(af, udp6(1, 2, text('x'))), 0);
    assert.equal(value(p, 'null.family'), String(af));
    assert.equal(protocols(p), 'null:ipv6:udp:data');
  }
  const et = dissect(nullBE(0x0800, IP_UDP), 0);
  assert.equal(value(et, 'null.type'), '0x0800');
  assert.equal(protocols(et), 'null:ip:udp:data');
  const unknown = dissect(nullLE(99, text('?')), 0);
  assert.equal(protocols(unknown), 'null:data');
  assert.deepEqual(cols(unknown), { proto: 'N/A', src: 'N/A', dst: 'N/A', info: 'Null/Loopback' });
});

test('raw IP: the version nibble picks the protocol; 228 and 229 carry no link layer', () => {
  assert.equal(protocols(dissect(IP_UDP, 101)), 'raw:ip:udp:data');
  assert.equal(protocols(dissect(udp6(1, 2, text('x')), 101)), 'raw:ipv6:udp:data');
  assert.equal(protocols(dissect(IP_UDP, 228)), 'ip:udp:data');
  assert.equal(protocols(dissect(udp6(1, 2, text('x')), 229)), 'ipv6:udp:data');
  const other = dissect(cat([0x10], new Uint8Array(20)), 101);
  assert.equal(protocols(other), 'raw:data');
});

test('Ethernet carried in GRE (transparent bridging, gre.proto 0x6558) never guesses an FCS', () => {
  const inner = cat(eth(0x0800, udp4(1, 2, text('teb payload 0123456789012345678901'))), text('ABCDEFGH'));
  const p = dissect(eth(0x0800, ipv4({ proto: 47 }, cat([0, 0, 0x65, 0x58], inner))));
  assert.equal(protocols(p), 'eth:ethertype:ip:gre:eth:ethertype:ip:udp:data');
  assert.deepEqual(values(p, 'eth.trailer'), ['4142434445464748']); // the inner one: no FCS carved out
  assert.deepEqual(values(p, 'eth.fcs'), []);
  assert.deepEqual(values(p, 'eth.src'), ['02:aa:bb:cc:dd:ee', '02:aa:bb:cc:dd:ee']);
});

test('an unknown Ethertype under VLAN and the UDP payload without dissector', () => {
  const p = dissect(eth(0x8100, vlanTag(0, 0, 1, 0x88b6, text('abc'))));
  assert.equal(protocols(p), 'eth:ethertype:vlan:ethertype:data');
  const q = dissect(eth(0x0800, ipv4({ proto: 17 }, udp({ sport: 40000, dport: 40001, checksum: 0 }, text('d')))));
  assert.equal(value(q, 'data.data'), '64');
});
