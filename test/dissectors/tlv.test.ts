/**
 * RFC 5845 TLV header and the PMIPv6 UDP 5436/5437 demultiplexer.
 *
 * tshark 4.0 has no TLV dissector (5437 payloads are Data, 5436 payloads are misread as a
 * Mobility Header), so it cannot be the oracle here: these tests check gretool's decoding
 * against values hand-computed from RFC 5845 §7.1/§7.2, e.g. `00 2f 00 31` = Type 0,
 * Reserved 0, Next Header 47 (GRE), Length 49, which is right when UDP Length = 8 + 4 + 49 = 61.
 *
 * The demultiplexer is fed the UDP payload directly (as UDP would hand it over). Without a
 * UDP layer in the tree it takes UDP.Length − 8 = the payload span and the port it was
 * registered on; tlv-pipeline.test.ts runs the same cases through Ethernet/IPv4/UDP.
 */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { pmip6CntlDemux, pmip6DataDemux } from '../../src/dissectors/pmip6udp/index.js';
import * as L from '../../src/dissectors/pmip6udp/layout.js';
import { table } from '../../src/engine/dispatch.js';
import { fieldDef } from '../../src/engine/fields.js';
import { ascii, cat, gre, hex, innerUdp4, innerUdp6, mhPbu, tlv } from '../fixtures/gre/frames.js';
import { dissectAlone, info, protocols, rules, value, values } from '../fixtures/gre/harness.js';

const R = (p: ReturnType<typeof dissectAlone>) => rules(p).filter((r) => /^(P-TLV|P-UDP|W-TLV)/.test(r));
/** GRE(K 0x1001) + an inner IPv4/UDP datagram of 41 octets = 49 octets. */
const GRE49 = gre({ flags: 0x2000, proto: 0x0800, key: 0x1001 }, innerUdp4(1000, 2000, ascii('thirteen-byte')));

test('registered on udp.port 5436 and 5437', () => {
  assert.equal(table('udp.port').get(5436), pmip6CntlDemux);
  assert.equal(table('udp.port').get(5437), pmip6DataDemux);
  assert.equal(L.tlvExpectedLength(61), 49);
  assert.equal(L.tlvOctet0(0, 5), 0x05);
});

test('known value: 00 2f 00 31 = Type 0, Res 0, NH 47, Length 49 with UDP length 61', () => {
  assert.equal(GRE49.length, 49);
  const payload = cat(hex('002f0031'), GRE49);
  assert.equal(payload.length + 8, 61);
  const p = dissectAlone(pmip6DataDemux, payload);
  assert.equal(value(p, 'pmip6.tlv.type'), '0');
  assert.equal(value(p, 'pmip6.tlv.reserved'), '0x00');
  assert.equal(value(p, 'pmip6.tlv.next_header'), '47');
  assert.equal(value(p, 'pmip6.tlv.length'), '49');
  assert.equal(value(p, 'pmip6.tlv.length.expected'), '49');
  assert.equal(value(p, 'pmip6.tlv.length_ok'), '1');
  assert.equal(value(p, 'pmip6.tlv'), 'PMIPv6 TLV Header (RFC 5845), Next Header: GRE (47), Length: 49');
  assert.equal(value(p, 'gre.key'), '0x00001001');
  assert.equal(value(p, 'gre'), 'Generic Routing Encapsulation (IP)');
  assert.match(protocols(p), /^pmip6\.tlv:gre/);
  assert.deepEqual(R(p), []);
  assert.match(info(p), /\[GRE key 0x00001001\]$/);
  // TLV fields are gretool's own: tshark has none of them
  for (const f of ['pmip6.tlv', 'pmip6.tlv.type', 'pmip6.tlv.length_ok']) assert.equal(fieldDef(fieldIdOf(p, f)).wireshark, false);
});

function fieldIdOf(p: ReturnType<typeof dissectAlone>, abbrev: string): number {
  for (let i = 0; i < p.tree.count; i++) if (p.tree.fid[i]! >= 0 && fieldDef(p.tree.fid[i]!).abbrev === abbrev) return p.tree.fid[i]!;
  throw new Error('no ' + abbrev);
}

test('length mismatch → P-TLV-LEN-MISMATCH, payload still dissected', () => {
  const p = dissectAlone(pmip6DataDemux, tlv(47, GRE49, { length: 48 }));
  assert.equal(value(p, 'pmip6.tlv.length'), '48');
  assert.equal(value(p, 'pmip6.tlv.length.expected'), '49');
  assert.equal(value(p, 'pmip6.tlv.length_ok'), '0');
  assert.deepEqual(R(p), ['P-TLV-LEN-MISMATCH']);
  assert.equal(value(p, 'gre.key'), '0x00001001');
});

test('reserved nibble nonzero → P-TLV-RESERVED-NONZERO', () => {
  const p = dissectAlone(pmip6DataDemux, tlv(47, GRE49, { reserved: 0xa }));
  assert.equal(value(p, 'pmip6.tlv.reserved'), '0x0a');
  assert.deepEqual(R(p), ['P-TLV-RESERVED-NONZERO']);
});

test('NH 4 (IPv4) and 41 (IPv6) → P-TLV-NH-NOT-GRE (info)', () => {
  let p = dissectAlone(pmip6DataDemux, tlv(4, innerUdp4()));
  assert.equal(value(p, 'pmip6.tlv.next_header'), '4');
  assert.deepEqual(R(p), ['P-TLV-NH-NOT-GRE']);
  p = dissectAlone(pmip6DataDemux, tlv(41, innerUdp6()));
  assert.deepEqual(R(p), ['P-TLV-NH-NOT-GRE']);
});

test('NH other than 4/41/47 → P-TLV-NH-NOT-GRE, payload through ip.proto or data', () => {
  const p = dissectAlone(pmip6DataDemux, tlv(99, ascii('opaque')));
  assert.deepEqual(R(p), ['P-TLV-NH-NOT-GRE']);
  assert.equal(protocols(p), 'pmip6.tlv:data');
  assert.equal(info(p), 'TLV header, Next Header 99, Length 6');
});

test('NH 47 but no GRE header follows / NH 4 with an IPv6 header → P-TLV-NH-MISMATCH', () => {
  let p = dissectAlone(pmip6DataDemux, tlv(47, hex('0007'))); // too short and version 7
  assert.deepEqual(R(p), ['P-TLV-NH-MISMATCH']);
  p = dissectAlone(pmip6DataDemux, tlv(4, innerUdp6()));
  assert.deepEqual(R(p), ['P-TLV-NH-NOT-GRE', 'P-TLV-NH-MISMATCH']);
});

test('TLV on the signalling port 5436 → W-TLV-ON-5436; not on 5437', () => {
  let p = dissectAlone(pmip6CntlDemux, cat(hex('002f0031'), GRE49));
  assert.deepEqual(R(p), ['W-TLV-ON-5436']);
  assert.equal(value(p, 'gre.key'), '0x00001001');
  p = dissectAlone(pmip6DataDemux, cat(hex('002f0031'), GRE49));
  assert.deepEqual(R(p), []);
});

test('flagless GRE 00 00 08 00 in UDP: the length check tells it from a TLV → P-UDP-GRE-WITHOUT-TLV', () => {
  const bytes = gre({ proto: 0x0800 }, innerUdp4());
  assert.deepEqual([...bytes.subarray(0, 4)], [0, 0, 8, 0]);
  const p = dissectAlone(pmip6DataDemux, bytes);
  assert.deepEqual(values(p, 'pmip6.tlv.type'), []);
  assert.equal(value(p, 'gre.proto'), '0x0800');
  assert.deepEqual(R(p), ['P-UDP-GRE-WITHOUT-TLV']);
  assert.match(protocols(p), /^gre/);
});

test('... and the same octets ARE a TLV (NH 0, Length 2048) when the UDP length says so', () => {
  const bytes = cat(hex('00000800'), new Uint8Array(2048));
  const p = dissectAlone(pmip6DataDemux, bytes);
  assert.equal(value(p, 'pmip6.tlv.next_header'), '0');
  assert.equal(value(p, 'pmip6.tlv.length_ok'), '1');
  assert.deepEqual(values(p, 'gre.proto'), []);
});

test('GRE with K (first nibble 2) without TLV → GRE + P-UDP-GRE-WITHOUT-TLV (and G-* see the UDP tunnel)', () => {
  const p = dissectAlone(pmip6DataDemux, GRE49);
  assert.equal(value(p, 'gre.key'), '0x00001001');
  assert.deepEqual(R(p), ['P-UDP-GRE-WITHOUT-TLV']);
  const q = dissectAlone(pmip6DataDemux, tlv(47, gre({ proto: 0x6558 }, ascii('eth?'))));
  assert.ok(rules(q).includes('G-PROTO-UNEXPECTED'), 'GRE after a TLV is in a PMIPv6 tunnel even without K');
});

test('first nibble 4 → IPv4, 6 → IPv6 through the ethertype table', () => {
  const ip4 = table('ethertype').get(0x0800);
  const ip6 = table('ethertype').get(0x86dd);
  assert.ok(ip4, 'IPv4 must be registered on ethertype 0x0800');
  assert.ok(ip6, 'IPv6 must be registered on ethertype 0x86DD');
  let p = dissectAlone(pmip6DataDemux, innerUdp4());
  assert.equal(fieldDef(p.protos[0]!).abbrev, fieldDef(ip4.proto).abbrev);
  assert.deepEqual(R(p), []);
  p = dissectAlone(pmip6CntlDemux, innerUdp6());
  assert.equal(fieldDef(p.protos[0]!).abbrev, fieldDef(ip6.proto).abbrev);
  assert.deepEqual(R(p), []);
});

test('a Mobility Header (59, Header Len, type 5) → the MH dissector (mip6.udp / ip.proto 135) on either port', () => {
  const mh = table('mip6.udp', 1).get(0) ?? table('ip.proto', 256).get(135);
  assert.ok(mh, 'the Mobility Header must be registered on ip.proto 135');
  for (const d of [pmip6CntlDemux, pmip6DataDemux]) {
    const p = dissectAlone(d, mhPbu());
    assert.equal(fieldDef(p.protos[0]!).abbrev, fieldDef(mh.proto).abbrev);
    assert.deepEqual(R(p), []);
  }
});

test('unknown payload: data + P-UDP-PAYLOAD-UNKNOWN on 5437, the MH dissector on 5436 (as tshark)', () => {
  const junk = hex('c0ffee0011223344');
  let p = dissectAlone(pmip6DataDemux, junk);
  assert.equal(protocols(p), 'data');
  assert.deepEqual(R(p), ['P-UDP-PAYLOAD-UNKNOWN']);
  assert.equal(p.experts.args[0], 0xc);
  const mh = table('ip.proto', 256).get(135);
  p = dissectAlone(pmip6CntlDemux, junk);
  if (mh) assert.equal(fieldDef(p.protos[0]!).abbrev, fieldDef(mh.proto).abbrev);
  assert.deepEqual(R(p), []);
});

test('a TLV header cut short is malformed; an empty payload adds nothing', () => {
  let p = dissectAlone(pmip6DataDemux, hex('002f'));
  assert.equal(protocols(p), 'pmip6.tlv');
  assert.ok(p.experts.count >= 1);
  p = dissectAlone(pmip6DataDemux, new Uint8Array(0));
  assert.equal(p.tree.count, 0);
});
