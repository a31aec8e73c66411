/**
 * GRE dissector unit tests: bytes hand-built from RFC 2784/2890/1701/2637, fed straight to the
 * GRE dissector (independent of the link/IP layers). Expected values are hand-computed;
 * the tshark 4.0.17 output for the same headers is in gre-parity.test.ts.
 */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { greDissector, setGreKeyInInfo, GRE_FIELDS } from '../../src/dissectors/gre/index.js';
import * as L from '../../src/dissectors/gre/layout.js';
import { table } from '../../src/engine/dispatch.js';
import { cat, gre, hex, ascii, u16, innerUdp4 } from '../fixtures/gre/frames.js';
import { dissectAlone, expertList, info, protocols, rules, value, values } from '../fixtures/gre/harness.js';

const G = (p: ReturnType<typeof dissectAlone>) => rules(p).filter((r) => r.startsWith('G-'));

test('registered on ip.proto 47', () => {
  assert.equal(table('ip.proto', 256).get(47), greDissector);
});

test('layout: header lengths and offsets follow RFC 2784/2890', () => {
  assert.equal(L.greHeaderLen(0x0000), 4);
  assert.equal(L.greHeaderLen(0x8000), 8);
  assert.equal(L.greHeaderLen(0x4000), 8); // R implies checksum+offset words (RFC 1701)
  assert.equal(L.greHeaderLen(0xb000), 16);
  assert.equal(L.greKeyOffset(0x2000), 4);
  assert.equal(L.greKeyOffset(0xa000), 8);
  assert.equal(L.greSeqOffset(0xb000), 12);
  assert.equal(L.greHeaderLen(0x3081, true), 16); // PPTP: key, seq, ack
  assert.equal(L.GRE_RESERVED0_DISCARD_MASK | L.GRE_RESERVED0_IGNORE_MASK | 0x3000 | 0x8000 | L.GRE_VERSION_MASK, 0xffff);
});

test('K: key 0x00001001, flag booleans, Info shows the key marker', () => {
  const p = dissectAlone(greDissector, gre({ flags: 0x2000, proto: 0x1234, key: 0x1001 }, ascii('data')));
  assert.equal(value(p, 'gre.flags_and_version'), '0x2000');
  assert.equal(value(p, 'gre.flags.checksum'), '0');
  assert.equal(value(p, 'gre.flags.key'), '1');
  assert.equal(value(p, 'gre.flags.sequence_number'), '0');
  assert.equal(value(p, 'gre.flags.recursion_control'), '0');
  assert.equal(value(p, 'gre.flags.version'), '0');
  assert.equal(value(p, 'gre.proto'), '0x1234');
  assert.equal(value(p, 'gre.key'), '0x00001001');
  assert.deepEqual(values(p, 'gre.checksum'), []);
  assert.equal(protocols(p), 'gre:data');
  assert.equal(p.cols.proto, 'GRE');
  assert.equal(info(p), 'Encapsulated 0x1234 (unknown) [GRE key 0x00001001]');
  // K set with a non-IP payload type: "in a PMIPv6 tunnel" by gretool's rule
  assert.deepEqual(G(p), ['G-PROTO-UNEXPECTED']);
});

test('the key marker can be turned off (summary parity with tshark)', () => {
  setGreKeyInInfo(false);
  try {
    const p = dissectAlone(greDissector, gre({ flags: 0x2000, proto: 0x0800, key: 0x1001 }));
    assert.equal(info(p), 'Encapsulated IP');
  } finally {
    setGreKeyInInfo(true);
  }
});

test('no flags, no payload: GRE only, nothing dispatched', () => {
  const p = dissectAlone(greDissector, hex('00000800'));
  assert.equal(protocols(p), 'gre');
  assert.equal(info(p), 'Encapsulated IP');
  assert.deepEqual(G(p), []);
  assert.equal(p.experts.count, 0);
});

test('C: good checksum → status 1, bad → status 0 + G-CKSUM-BAD with the correct value', () => {
  const good = gre({ flags: 0x8000, proto: 0x1234 }, ascii('xyz'));
  // hand check: words 8000 1234 0000 0000 7879 7a00 → sum 0x8000+0x1234+0x7879+0x7a00 = 0x184ad → 0x84ae → ~ = 0x7b51
  assert.deepEqual([...good.subarray(4, 6)], [0x7b, 0x51]);
  let p = dissectAlone(greDissector, good);
  assert.equal(value(p, 'gre.checksum'), '0x7b51');
  assert.equal(value(p, 'gre.checksum.status'), '1');
  assert.equal(value(p, 'gre.offset'), '0');
  assert.deepEqual(G(p), []); // no K: not a PMIPv6 tunnel by gretool's rule
  const bad = gre({ flags: 0x8000, proto: 0x1234, checksum: 0x1234 }, ascii('xyz'));
  p = dissectAlone(greDissector, bad);
  assert.equal(value(p, 'gre.checksum.status'), '0');
  assert.deepEqual(G(p), ['G-CKSUM-BAD']);
  assert.ok(expertList(p).includes('gretool.lint.G-CKSUM-BAD:error'));
  assert.equal(p.experts.args[0], '0x7b51');
});

test('C over a snaplen-cut payload: unverified (status 2), no G-CKSUM-BAD', () => {
  const b = gre({ flags: 0xa000, proto: 0x0800, key: 1, checksum: 0x1111 }, innerUdp4());
  const p = dissectAlone(greDissector, b, { caplen: 14 });
  assert.equal(value(p, 'gre.checksum.status'), '2');
  assert.equal(value(p, 'gre.key'), '0x00000001');
  assert.deepEqual(G(p), []);
});

test('C + nonzero Reserved1 → G-RESERVED1-NONZERO; R + Offset is not Reserved1', () => {
  let p = dissectAlone(greDissector, gre({ flags: 0x8000, proto: 0x0800, offset: 5 }));
  assert.equal(value(p, 'gre.offset'), '5');
  assert.deepEqual(G(p), ['G-RESERVED1-NONZERO']);
  p = dissectAlone(greDissector, gre({ flags: 0x4000, proto: 0x0800, offset: 4, routing: hex('00000000') }));
  assert.deepEqual(G(p), ['G-RFC1701-ROUTING']);
});

test('R: the SRE list is walked per RFC 1701 up to the NULL SRE', () => {
  const sres = cat(u16(0xfffe), [2, 4], [0, 1, 0, 2], u16(0x0800), [0, 4], [1, 2, 3, 4], u16(0), [0, 0]);
  const body = ascii('after');
  const p = dissectAlone(greDissector, gre({ flags: 0x4000, proto: 0x4321, routing: sres }, body));
  assert.equal(value(p, 'gre.checksum.status'), '2'); // R without C: present but not verified
  assert.deepEqual(values(p, 'gre.routing.address_family'), ['65534', '2048', '0']);
  assert.deepEqual(values(p, 'gre.routing.sre_offset'), ['2', '0', '0']);
  assert.deepEqual(values(p, 'gre.routing.src_length'), ['4', '4', '0']);
  assert.deepEqual(values(p, 'gre.routing.information'), ['00010002', '01020304']);
  assert.equal(values(p, 'gre.routing').length, 3);
  // the payload starts right after the NULL SRE
  assert.equal(values(p, 'data.data')[0], '6166746572');
  assert.deepEqual(G(p), ['G-RFC1701-ROUTING']);
});

test('R: an SRE running past the end is malformed, the fields before it are kept', () => {
  const b = cat(u16(0x4000), u16(0x0800), u16(0), u16(0), u16(0x0800), [0, 200], [1, 2, 3]);
  const p = dissectAlone(greDissector, b);
  assert.deepEqual(values(p, 'gre.routing.src_length'), ['200']);
  assert.deepEqual(values(p, 'gre.routing.information'), []);
  assert.ok(expertList(p).some((e) => e.startsWith('_ws.malformed')));
  assert.match(info(p), /\[Malformed Packet\]$/);
});

test('s, Recur 7 and reserved flags: G-RFC1701-SSR, G-RFC1701-RECUR (error), G-RESERVED0-6-12', () => {
  const p = dissectAlone(greDissector, gre({ flags: 0x0ff8, proto: 0x86dd }));
  assert.equal(value(p, 'gre.flags.strict_source_route'), '1');
  assert.equal(value(p, 'gre.flags.recursion_control'), '7');
  assert.equal(value(p, 'gre.flags.reserved'), '31');
  assert.deepEqual(G(p), ['G-RFC1701-SSR', 'G-RFC1701-RECUR', 'G-RESERVED0-6-12']);
  assert.ok(expertList(p).includes('gretool.lint.G-RFC1701-RECUR:error'));
});

test('Recur 3 (bit 5 clear) is only a warning; bits 6-7 are also Reserved0 bits 6-12 (both rules, as catalogued)', () => {
  const p = dissectAlone(greDissector, gre({ flags: 0x0300, proto: 0x0800 }));
  assert.deepEqual(G(p), ['G-RFC1701-RECUR', 'G-RESERVED0-6-12']);
  assert.ok(expertList(p).includes('gretool.lint.G-RFC1701-RECUR.ignored:warning'));
});

test('version 2 → G-VERSION-NONZERO; version 1 that is not PPTP too', () => {
  let p = dissectAlone(greDissector, gre({ flags: 0x2002, proto: 0x0800, key: 1 }));
  assert.equal(value(p, 'gre.flags.version'), '2');
  assert.deepEqual(G(p), ['G-VERSION-NONZERO']);
  p = dissectAlone(greDissector, gre({ flags: 0x2001, proto: 0x0800, key: 0x00100020 }));
  assert.equal(value(p, 'gre.key'), '0x00100020'); // not PPP: the key stays a key (as tshark)
  assert.deepEqual(G(p), ['G-VERSION-NONZERO']);
});

test('version 1 PPTP (RFC 2637): payload length + call id, ack number, no PMIPv6 rules', () => {
  const b = gre({ flags: 0x3081, proto: 0x880b, key: 0x00280007, seq: 3, ack: 2 }, hex('ff03c021'));
  const p = dissectAlone(greDissector, b);
  assert.deepEqual(values(p, 'gre.key'), []);
  assert.equal(value(p, 'gre.key.payload_length'), '40');
  assert.equal(value(p, 'gre.key.call_id'), '7');
  assert.equal(value(p, 'gre.sequence_number'), '3');
  assert.equal(value(p, 'gre.ack_number'), '2');
  assert.equal(value(p, 'gre.flags.ack'), '1');
  assert.equal(value(p, 'gre.flags.reserved'), '0'); // 0x0078 in enhanced GRE: the A bit is not reserved
  assert.equal(value(p, 'gre.flags.version'), '1');
  assert.deepEqual(G(p), []);
  assert.doesNotMatch(info(p), /GRE key/);
});

test('proto not IPv4/IPv6: G-PROTO-UNEXPECTED only in a PMIPv6 tunnel (K set)', () => {
  let p = dissectAlone(greDissector, gre({ proto: 0x6558 }, ascii('x')));
  assert.deepEqual(G(p), []);
  p = dissectAlone(greDissector, gre({ flags: 0x2000, proto: 0x6558, key: 9 }, ascii('x')));
  assert.deepEqual(G(p), ['G-PROTO-UNEXPECTED']);
  p = dissectAlone(greDissector, gre({ flags: 0x2000, proto: 0x86dd, key: 9 }));
  assert.deepEqual(G(p), []);
});

test('S set with an empty payload still hands on (tshark: data of 0 octets adds nothing)', () => {
  const p = dissectAlone(greDissector, gre({ flags: 0x1000, proto: 0x4321, seq: 1 }));
  assert.equal(value(p, 'gre.sequence_number'), '1');
  assert.equal(protocols(p), 'gre');
  assert.equal(info(p), 'Encapsulated 0x4321 (unknown)');
});

test('header shorter than 4 octets: malformed, protocol listed, no gre.* field', () => {
  const p = dissectAlone(greDissector, hex('2000'));
  assert.equal(protocols(p), 'gre');
  assert.equal(p.tree.count > 0, true);
  assert.deepEqual(values(p, 'gre.flags_and_version'), []);
  assert.ok(expertList(p).some((e) => e.startsWith('_ws.malformed')));
});

test('key cut by the layer end (malformed) vs by the snaplen (truncated)', () => {
  const b = hex('200008000000');
  let p = dissectAlone(greDissector, b);
  assert.deepEqual(values(p, 'gre.key'), []);
  assert.ok(expertList(p).some((e) => e.startsWith('_ws.malformed')));
  const full = gre({ flags: 0x2000, proto: 0x0800, key: 7 }, ascii('abcdefgh'));
  p = dissectAlone(greDissector, full, { caplen: 6 });
  assert.deepEqual(values(p, 'gre.key'), []);
  assert.ok(expertList(p).some((e) => e.startsWith('_ws.short')));
});

test('the field declarations mirror tshark -G fields (types, bases, masks)', () => {
  // spot checks against `tshark -G fields` of 4.0.17
  const f = (id: number) => GRE_FIELDS && id;
  assert.ok(f(GRE_FIELDS.key) >= 0);
  const checks: [string, string, string, number][] = [
    ['gre.flags.recursion_control', 'uint16', 'dec', 0x700],
    ['gre.flags.reserved', 'uint16', 'dec', 0xf8],
    ['gre.flags.version', 'uint16', 'dec', 0x7],
    ['gre.key', 'uint32', 'hex', 0],
    ['gre.proto', 'uint16', 'hex', 0],
    ['gre.checksum.status', 'uint8', 'none', 0],
    ['gre.routing.src_length', 'uint8', 'dec', 0],
  ];
  return import('../../src/engine/fields.js').then(({ fieldByName }) => {
    for (const [name, type, base, mask] of checks) {
      const d = fieldByName(name)!;
      assert.deepEqual([d.type, d.base, d.mask], [type, base, mask], name);
    }
  });
});
