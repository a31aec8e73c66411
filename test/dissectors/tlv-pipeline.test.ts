/**
 * The PMIPv6 UDP demultiplexer and the RFC 5845 TLV header through the whole pipeline
 * (Ethernet / IPv4 / UDP from their own folders): the UDP Length and ports are read from the
 * UDP layer's nodes. tshark 4.0 cannot decode TLV frames (Data on 5437, a malformed MIPv6 on
 * 5436), so the expected values are hand-computed from RFC 5845 §7.1/§7.2; only the layers
 * tshark does decode are compared with it (frame.protocols up to UDP).
 */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { join } from 'node:path';
import { ascii, cat, eth, gre, hex, innerUdp4, innerUdp6, ipv4, ipv6, mhPbu, tlv, udp, udp6, writePcap } from '../fixtures/gre/frames.js';
import { dissectFrame, info, protocols, rules, value, values } from '../fixtures/gre/harness.js';
import { haveTool, tempDir } from '../helpers/cli.js';
import { tsharkFields } from '../helpers/parity.js';

const R = (p: ReturnType<typeof dissectFrame>) => rules(p).filter((r) => /^(P-TLV|P-UDP|W-TLV|G-)/.test(r));
const GRE49 = gre({ flags: 0x2000, proto: 0x0800, key: 0x1001 }, innerUdp4(1000, 2000, ascii('thirteen-byte')));
const u4 = (sport: number, dport: number, payload: Uint8Array, length?: number) => eth(ipv4(17, udp(sport, dport, payload, { length })));

test('IPv4/UDP 5437/TLV(00 2f 00 31)/GRE(K)/IPv4/UDP: UDP length 61, Info = inner flow + key', () => {
  const p = dissectFrame(u4(5437, 5437, cat(hex('002f0031'), GRE49)));
  assert.equal(values(p, 'udp.length')[0], '61');
  assert.equal(value(p, 'pmip6.tlv.length'), '49');
  assert.equal(value(p, 'pmip6.tlv.length.expected'), '49');
  assert.equal(value(p, 'pmip6.tlv.length_ok'), '1');
  assert.equal(value(p, 'gre.key'), '0x00001001');
  assert.equal(protocols(p), 'eth:ethertype:ip:udp:pmip6.tlv:gre:ip:udp:data');
  assert.deepEqual(R(p), []);
  assert.equal(info(p), '1000 → 2000 Len=13 [GRE key 0x00001001]');
});

test('the TLV length is checked against the UDP Length field, not the bytes present', () => {
  // UDP says 60 (one octet less than the datagram): expected TLV Length 48 ≠ 49
  const p = dissectFrame(u4(5437, 5437, cat(hex('002f0031'), GRE49), 60));
  assert.equal(value(p, 'pmip6.tlv.length.expected'), '48');
  assert.ok(R(p).includes('P-TLV-LEN-MISMATCH'));
});

test('TLV on 5436 (either direction) → W-TLV-ON-5436; 5436→5437 counts as the data port', () => {
  let p = dissectFrame(u4(5436, 40000, tlv(47, GRE49)));
  assert.deepEqual(R(p), ['W-TLV-ON-5436']);
  p = dissectFrame(u4(5436, 5437, tlv(47, GRE49)));
  assert.deepEqual(R(p), []);
  p = dissectFrame(u4(40001, 5437, tlv(47, GRE49)));
  assert.deepEqual(R(p), []);
});

test('IPv4/UDP/TLV(NH 41)/IPv6 and IPv4/UDP/TLV(NH 4)/IPv4', () => {
  let p = dissectFrame(u4(5437, 5437, tlv(41, innerUdp6())));
  assert.equal(protocols(p), 'eth:ethertype:ip:udp:pmip6.tlv:ipv6:udp:data');
  assert.deepEqual(R(p), ['P-TLV-NH-NOT-GRE']);
  p = dissectFrame(u4(5437, 5437, tlv(4, innerUdp4())));
  assert.equal(protocols(p), 'eth:ethertype:ip:udp:pmip6.tlv:ip:udp:data');
  assert.deepEqual(R(p), ['P-TLV-NH-NOT-GRE']);
});

test('IPv4/UDP 5437/IPv6 and IPv4/UDP 5437/IPv4 (IPv4-UDP mode, no TLV)', () => {
  let p = dissectFrame(u4(5437, 5437, innerUdp6()));
  assert.equal(protocols(p), 'eth:ethertype:ip:udp:ipv6:udp:data');
  assert.deepEqual(R(p), []);
  p = dissectFrame(u4(5437, 5437, innerUdp4()));
  assert.equal(protocols(p), 'eth:ethertype:ip:udp:ip:udp:data');
});

test('IPv4/UDP 5437/GRE without TLV → P-UDP-GRE-WITHOUT-TLV; flagless GRE too', () => {
  let p = dissectFrame(u4(5437, 5437, GRE49));
  assert.equal(protocols(p), 'eth:ethertype:ip:udp:gre:ip:udp:data');
  assert.deepEqual(R(p), ['P-UDP-GRE-WITHOUT-TLV']);
  p = dissectFrame(u4(5437, 5437, gre({ proto: 0x86dd }, innerUdp6())));
  assert.equal(protocols(p), 'eth:ethertype:ip:udp:gre:ipv6:udp:data');
  assert.deepEqual(R(p), ['P-UDP-GRE-WITHOUT-TLV']);
});

test('PBU over IPv4/UDP 5436 → the Mobility Header dissector (RFC 5844)', () => {
  const p = dissectFrame(u4(5436, 5436, mhPbu()));
  assert.match(protocols(p), /^eth:ethertype:ip:udp:mip/);
  assert.deepEqual(R(p), []);
});

test('unknown payload on 5437 → data + P-UDP-PAYLOAD-UNKNOWN', () => {
  const p = dissectFrame(u4(40000, 5437, hex('ffeeddccbbaa')));
  assert.equal(protocols(p), 'eth:ethertype:ip:udp:data');
  assert.deepEqual(R(p), ['P-UDP-PAYLOAD-UNKNOWN']);
});

test('deep nesting: IPv6/UDP 5437/TLV/GRE/IPv4/GRE/IPv6/UDP', () => {
  const innerMost = gre({ flags: 0x2000, proto: 0x86dd, key: 2 }, innerUdp6());
  const mid = gre({ flags: 0x2000, proto: 0x0800, key: 1 }, ipv4(47, innerMost, [172, 16, 0, 1], [172, 16, 0, 2]));
  const p = dissectFrame(eth(ipv6(17, udp6(5437, 5437, tlv(47, mid))), 0x86dd));
  assert.equal(protocols(p), 'eth:ethertype:ipv6:udp:pmip6.tlv:gre:ip:gre:ipv6:udp:data');
  assert.deepEqual(values(p, 'gre.key'), ['0x00000001', '0x00000002']);
  assert.match(info(p), /\[GRE key 0x00000002\] \[GRE key 0x00000001\]$/);
});

test('tshark agrees on the layers it decodes (up to UDP)', { skip: !haveTool('tshark') && 'tshark not installed' }, () => {
  const dir = tempDir('gretool-tlv-');
  const path = join(dir, 'tlv.pcap');
  const frames = [
    u4(5437, 5437, cat(hex('002f0031'), GRE49)),
    u4(5436, 5436, tlv(47, GRE49)),
    u4(5437, 5437, innerUdp6()),
    u4(40000, 5437, gre({ proto: 0x0800 }, innerUdp4())),
  ];
  writePcap(path, frames.map((data, i) => ({ data, desc: String(i) })));
  const ts = tsharkFields(path, ['frame.protocols', 'udp.length']);
  frames.forEach((f, i) => {
    const p = dissectFrame(f);
    const upToUdp = (s: string) => s.split(':udp')[0] + ':udp';
    assert.equal(upToUdp(protocols(p)), upToUdp(ts[i]![0]!), `frame ${i + 1}`);
    assert.equal(values(p, 'udp.length')[0], ts[i]![1]!.split(',')[0], `frame ${i + 1}`);
  });
});
