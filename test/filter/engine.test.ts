/**
 * The filter engine on synthetic frames with test fields of every type (test/filter/fixture.ts):
 * value reading (bytes, cached numbers, strings, computed values), literals of every kind,
 * Wireshark 4.0's any/all semantics on repeated fields, slices, layers, sets, functions,
 * arithmetic and precedence. Independent of the dissectors.
 */
import assert from 'node:assert/strict';
import { describe, test } from 'node:test';
import { fieldDef } from '../../src/engine/fields.js';
import { compileFilter } from '../../src/filter/index.js';
import { FrameBuilder, T, ascii } from './fixture.js';

function frameA(): FrameBuilder {
  const f = new FrameBuilder(1700000000, 500000000);
  const root = f.proto(T.proto);
  f.field(T.u8, [0x2a], root);
  f.field(T.u16, [0x12, 0x34], root);
  f.field(T.u32, [0, 0, 0x10, 0x01], root);
  f.field(T.u32, [0, 0, 0x20, 0x02], root);
  f.field(T.u64, [0, 0, 1, 0, 0, 0, 0, 5], root);
  f.field(T.i8, [0xff], root);
  f.field(T.status, [3], root);
  f.field(T.flag, [0x20, 0x00], root);
  f.field(T.ipv4, [10, 0, 0, 7], root);
  f.num(T.ipv4, 0xc0000201, root); // 192.0.2.1, generated (cached number)
  f.field(T.ipv6, [0x20, 0x01, 0x0d, 0xb8, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 1], root);
  f.field(T.ether, [2, 0, 0, 0, 0, 1], root);
  f.field(T.bytes, [0xde, 0xad, 0xbe, 0xef, 0x00, 0x01], root);
  f.field(T.str, ascii('mn1@example.org'), root);
  f.str(T.str, 'Ünïcode straße', root);
  f.num(T.dbl, 1.5, root);
  f.num(T.rel, 1.25e9, root);
  f.num(T.abs, 0, root);
  f.p.add(T.label, -1, 0, root);
  f.p.add(T.computed, -1, 0, root);
  f.num(T.frameno, 7, root);
  const l1 = f.proto(T.proto2, root);
  f.field(T.inner, [0, 0, 0, 1], l1);
  f.end(l1);
  const l2 = f.proto(T.proto2, root);
  f.field(T.inner, [0, 0, 0, 2], l2);
  f.end(l2);
  f.end(root);
  return f;
}

function frameB(): FrameBuilder {
  const f = new FrameBuilder();
  const root = f.proto(T.proto);
  f.put([1, 2, 3]);
  f.end(root);
  return f;
}

const A = frameA();
const B = frameB();

function check(cases: [string, boolean, boolean?][]): void {
  for (const [expr, onA, onB] of cases) {
    test(`${expr} → ${onA}${onB === undefined ? '' : ` / ${onB}`}`, () => {
      const f = compileFilter(expr);
      assert.equal(f.matches(A.p), onA, `frame A: ${expr}`);
      if (onB !== undefined) assert.equal(f.matches(B.p), onB, `frame B: ${expr}`);
      // same answer when run again (registers are reused between frames)
      assert.equal(f.matches(A.p), onA);
    });
  }
}

describe('presence', () => {
  check([
    ['fltest', true, true],
    ['fltest.u8', true, false],
    ['!fltest.u8', false, true],
    ['fltest.label', true, false],
    ['fltest2', true, false],
    ['fltest.computed', true, false],
    ['', true, true],
    ['   ', true, true],
  ]);
});

describe('integers', () => {
  check([
    ['fltest.u8 == 42', true, false],
    ['fltest.u8 == 0x2a', true],
    ['fltest.u8 == 052', true],
    ['fltest.u8 == 0b101010', true],
    ["fltest.u8 == '*'", true],
    ["fltest.u8 == '\\x2a'", true],
    ["fltest.u8 == '\\052'", true],
    ['fltest.u8 eq 42', true],
    ['fltest.u8 any_eq 42', true],
    ['fltest.u8 != 42', false, false],
    ['fltest.u8 > 41 && fltest.u8 < 43', true],
    ['fltest.u8 ge 42 and fltest.u8 le 42', true],
    ['fltest.u16 == 0x1234', true],
    ['fltest.u64 == 1099511627781', true],
    ['fltest.u64 > 0xffffffff', true],
    ['fltest.i8 == -1', true],
    ['fltest.i8 < 0', true],
    ['fltest.frameno == 7', true],
    ['fltest.status == 3', true],
    ['fltest.status == "GRE_TUNNELING_BUT_TLV_HEADER_NOT_SUPPORTED"', true],
    ['fltest.status == gre_tunneling_but_tlv_header_not_supported', true],
    ['fltest.status == "accepted"', false],
    ['fltest.status in {"Accepted", 3}', true],
    ['fltest.status > "Accepted"', true],
    ['fltest.flag', true],
    ['fltest.flag == 1', true],
    ['fltest.flag == True', true],
    ['fltest.flag == TRUE', true],
    ['fltest.flag == 5', true],
    ['fltest.flag == False', false],
    ['fltest.flag == 0', false],
  ]);
});

describe('repeated fields (Wireshark 4.0: == any, != all, === all, !== any)', () => {
  check([
    ['fltest.u32 == 0x1001', true, false],
    ['fltest.u32 == 0x2002', true],
    ['fltest.u32 != 0x1001', false, false],
    ['fltest.u32 != 0x3003', true, false],
    ['fltest.u32 ne 0x3003', true],
    ['fltest.u32 all_ne 0x1001', false],
    ['fltest.u32 === 0x1001', false, false],
    ['fltest.u32 all_eq 0x1001', false],
    ['fltest.u32 !== 0x1001', true, false],
    ['fltest.u32 ~= 0x1001', true],
    ['fltest.u32 any_ne 0x1001', true],
    ['!(fltest.u32 == 0x1001)', false, true],
    ['all fltest.u32 > 0x1000', true, false],
    ['all fltest.u32 > 0x1001', false],
    ['any fltest.u32 > 0x1001', true],
    ['any fltest.u32 != 0x1001', true],
    ['all fltest.u32 != 0x1001', false],
    ['all fltest.u32 == 0x1001', false],
    ['fltest.u32 in {0x1001}', true],
    ['all fltest.u32 in {0x1001}', false],
    ['all fltest.u32 in {0x1000..0x3000}', true],
    ['count(fltest.u32) == 2', true, false],
    ['fltest.u32 == fltest.u32', true],
    ['fltest.u32 != fltest.u32', false],
  ]);
});

describe('addresses', () => {
  check([
    ['fltest.ipv4 == 10.0.0.7', true, false],
    ['fltest.ipv4 == 192.0.2.1', true],
    ['fltest.ipv4 == 10.0.0.0/8', true],
    ['fltest.ipv4 == 192.0.2.0/24', true],
    ['fltest.ipv4 == 11.0.0.0/8', false],
    ['fltest.ipv4 == 0.0.0.0/0', true],
    ['fltest.ipv4 != 10.0.0.0/8', false],
    ['fltest.ipv4 === 10.0.0.0/8', false],
    ['fltest.ipv4 > 192.0.2.0', true],
    ['fltest.ipv4 in {10.0.0.5 .. 10.0.0.9}', true],
    ['fltest.ipv4 in {172.16.0.0/12, 192.0.2.0/24}', true],
    ['fltest.ipv4[0] == 0a', true],
    ['fltest.ipv4[0:2] == c0:00', true],
    ['fltest.ipv4[-1] == 01', true],
    ['string(fltest.ipv4) == "192.0.2.1"', true],
    ['fltest.ipv6 == 2001:db8::1', true, false],
    ['fltest.ipv6 == 2001:0db8:0:0:0:0:0:1', true],
    ['fltest.ipv6 == 2001:db8::/32', true],
    ['fltest.ipv6 == 2001:db9::/32', false],
    ['fltest.ipv6 == 2001:db8::/127', true],
    ['fltest.ipv6 == 2001:db8::2/127', false],
    ['fltest.ipv6 == 2001:db8::/0', true],
    ['fltest.ipv6 == ::ffff:1.2.3.4', false],
    ['fltest.ipv6 > 2001:db8::', true],
    ['fltest.ipv6 < 2001:db8::1', false],
    ['fltest.ipv6[0:2] == 20:01', true],
    ['fltest.ether == 02:00:00:00:00:01', true, false],
    ['fltest.ether == 02-00-00-00-00-01', true],
    ['fltest.ether == 02.00.00.00.00.01', true],
    ['fltest.ether == 0200.0000.0001', true],
    ['fltest.ether == 020000000001', true],
    ['fltest.ether > 02:00:00:00:00:00', true],
    ['fltest.ether[0:3] == 02:00:00', true],
    ['fltest.ether contains 00:01', true],
    ['fltest.ether == fltest.bytes[0:6]', false],
    ['fltest.ether matches "\\x02"', true],
  ]);
});

describe('bytes and slices', () => {
  check([
    ['fltest.bytes == de:ad:be:ef:00:01', true, false],
    ['fltest.bytes == de-ad-be-ef-00-01', true],
    ['fltest.bytes == deadbeef0001', true],
    ['fltest.bytes == :deadbeef0001', true],
    ['fltest.bytes > de:ad', true],
    ['fltest.bytes < de:ae', true],
    ['fltest.bytes[0] == de', true],
    ['fltest.bytes[0] == 0xde', true],
    ['fltest.bytes[0:2] == de:ad', true],
    ['fltest.bytes[1-2] == ad:be', true],
    ['fltest.bytes[:2] == de:ad', true],
    ['fltest.bytes[4:] == 00:01', true],
    ['fltest.bytes[-2:] == 00:01', true],
    ['fltest.bytes[-1] == 1', true],
    ['fltest.bytes[-2-5] == 00:01', true],
    ['fltest.bytes[0:1,4-5] == de:00:01', true],
    ['fltest.bytes[0:1, 3, -1] == de:ef:01', true],
    ['fltest.bytes[4:4] == 00:01', false],
    ['fltest.bytes[4:4] != 00:01', true, false],
    ['fltest.bytes[4:4] === 00', false],
    ['fltest.bytes[4:4] !== 00', true],
    ['fltest.bytes[4:4]', false],
    ['fltest.bytes[4:2]', true],
    ['fltest.bytes[10]', false],
    ['fltest.bytes[-7:1]', false],
    ['fltest.bytes contains be:ef', true],
    ['fltest.bytes contains "\\xbe\\xef"', true],
    ['fltest.bytes contains 0xef', true],
    ['fltest.bytes contains ef:be', false],
    ['fltest.bytes[0] & 0x0f == 0e', true],
    ['fltest.bytes[0:2] & ff:00 == de:00', true],
    ['fltest.bytes[4] & 0xff', false],
    ['fltest.bytes[5] & 0x01', true],
    ['fltest[0] == 2a', true],
    ['len(fltest.bytes) == 6', true],
    ['len(fltest.u32) == 4', true],
    ['fltest.bytes matches "^\\xde\\xad"', true],
    ['fltest.bytes matches "(?s)\\xbe.\\x00"', true],
  ]);
});

describe('strings', () => {
  check([
    ['fltest.str == "mn1@example.org"', true, false],
    ['fltest.str == "Ünïcode straße"', true],
    ['fltest.str == "\\xc3\\x9cn\\xc3\\xafcode stra\\xc3\\x9fe"', true],
    ['fltest.str == "\\u00dcn\\u00efcode stra\\u00dfe"', true],
    ['fltest.str contains "@example"', true],
    ['fltest.str contains example', true],
    ['fltest.str contains "straße"', true],
    ['fltest.str matches "^MN1@"', true],
    ['fltest.str matches "(?-i)^MN1@"', false],
    ['fltest.str matches "(?-i)^mn1@"', true],
    ['fltest.str matches "STRASSE"', false],
    ['fltest.str matches "stra.e$"', true],
    ['fltest.str matches "\\\\Amn"', true],
    ['fltest.str matches "org\\\\z"', true],
    ['fltest.str matches "[[:digit:]]@"', true],
    ['fltest.str matches r"\\d@"', true],
    ['fltest.str ~ "example\\\\.org$"', true],
    ['fltest.str > "mn0"', true],
    ['fltest.str < "a"', false],
    ['fltest.str in {"x", "mn1@example.org"}', true],
    ['fltest.str in {"a".."n"}', true],
    ['fltest.str[0:3] == "mn1"', true],
    ['fltest.str[0:3] == 6d:6e:31', true],
    ['upper(fltest.str) == "MN1@EXAMPLE.ORG"', true],
    ['upper(fltest.str) contains "STRASSE"', true],
    ['lower(fltest.str) == "ünïcode straße"', true],
    ['len(fltest.str) == 15', true],
    ['len(fltest.str) == 17', true],
    ['fltest.computed == "computed-Value"', true, false],
    ['fltest.computed matches "^COMPUTED"', true],
    ['fltest contains "mn1"', true],
    ['fltest matches "example"', true],
  ]);
});

describe('floats and times', () => {
  check([
    ['fltest.dbl == 1.5', true],
    ['fltest.dbl > 1', true],
    ['fltest.dbl < 1.5e0', false],
    ['fltest.dbl == 0x1', false],
    ['fltest.rel == 1.25', true],
    ['fltest.rel > 1', true],
    ['fltest.rel < 1.250000001', true],
    ['fltest.abs == "2023-11-14T22:13:20.5Z"', true],
    ['fltest.abs == "Nov 14, 2023 22:13:20.500000000 UTC"', true],
    ['fltest.abs > "2023-11-14 22:13:20Z"', true],
    ['fltest.abs > "2023-11-14T23:13:20+01:00"', true],
    ['fltest.abs == 1700000000.5', true],
    ['fltest.abs < 1700000000', false],
  ]);
});

describe('layers', () => {
  check([
    ['fltest2.key#1 == 1', true],
    ['fltest2.key#2 == 1', false],
    ['fltest2.key#2 == 2', true],
    ['fltest2.key#[1-2] == 2', true],
    ['fltest2.key#[2:] == 2', true],
    ['fltest2.key#3', false],
    ['fltest2#2', true],
    ['fltest2#3', false],
    ['count(fltest2.key#2) == 1', true],
    ['fltest2.key#1 != fltest2.key#2', true],
  ]);
});

describe('sets, functions, arithmetic', () => {
  check([
    ['fltest.u16 in {1, 0x1234}', true, false],
    ['fltest.u16 in {0x1000..0x2000}', true],
    ['fltest.u16 in {0x2000..0x1000}', false],
    ['fltest.u16 not in {0x1234}', false, true],
    ['fltest.u16 in {fltest.u16}', true],
    ['fltest.u8 + 1 == 43', true, false],
    ['fltest.u8 - 2 == 40', true],
    ['fltest.u8 * 2 == 84', true],
    ['fltest.u8 / 5 == 8', true],
    ['fltest.u8 % 5 == 2', true],
    ['fltest.u8 / 0 == 0', false],
    ['fltest.u8 / 0 != 0', true, false],
    ['-fltest.u8 == -42', true],
    ['{fltest.u8 + 1} * 2 == 86', true],
    ['fltest.u8 + 1 * 2 == 44', true],
    ['fltest.u8 -1 == 41', true],
    ['fltest.u16 & 0xff00 == 0x1200', true],
    ['fltest.u16 & 0x1', false],
    ['fltest.u16 & 0x4', true],
    ['fltest.u16 bitwise_and 4', true],
    ['fltest.u8 + 1', true],
    ['fltest.u8 - 42', false],
    ['fltest.u64 & 0x10000000000 == 0x10000000000', true],
    ['fltest.u32 + fltest.u32 == 0x3003', true],
    ['max(fltest.u32) == 0x2002', true],
    ['min(fltest.u32, 0x1500) == 0x1001', true],
    ['max(fltest.u32, 0x1500) > 0x2000', true],
    ['abs(fltest.i8) == 1', true],
    ['string(fltest.u32) == "4097"', true],
    ['string(fltest.u8) matches "^4"', true],
    ['string(fltest.frameno) == "7"', true],
    ['len(fltest.u8) == 1', true],
  ]);
});

describe('precedence and logic', () => {
  check([
    ['fltest.u8 == 1 or fltest.u8 == 42 and fltest.u16 == 1', false],
    ['(fltest.u8 == 1 or fltest.u8 == 42) and fltest.u16 == 1', false],
    ['fltest.u8 == 42 or fltest.u8 == 1 and fltest.u16 == 1', true],
    ['not fltest.u8 == 1 and fltest.u16', true],
    ['!fltest.u8 == 42', false, true],
    ['!!fltest', true],
    ['not not not fltest', false],
    ['fltest.u8==42&&fltest.u16==0x1234', true],
    ['fltest.u8 == 1 || fltest.u8 == 42', true],
    ['((fltest.u8 == 42))', true],
  ]);
});

describe('API', () => {
  test('fields lists the referenced field ids once, in order', () => {
    const f = compileFilter('fltest.u8 == 1 || fltest.u16 && fltest.u8 > 0 || len(fltest.str) == 1');
    assert.deepEqual(f.fields.map((id) => fieldDef(id).abbrev), ['fltest.u8', 'fltest.u16', 'fltest.str']);
    assert.equal(f.text, 'fltest.u8 == 1 || fltest.u16 && fltest.u8 > 0 || len(fltest.str) == 1');
  });
  test('a truncated value is never read past the captured length', () => {
    const f = new FrameBuilder();
    f.field(T.u32, [0, 0, 0x10, 0x01]);
    f.cut(2);
    assert.equal(compileFilter('fltest.u32').matches(f.p), true);
    assert.equal(compileFilter('fltest.u32 == 0x1001').matches(f.p), false);
    assert.equal(compileFilter('fltest.u32 != 0x1001').matches(f.p), true);
  });
  test('one compiled filter over many frames keeps no state between them', () => {
    const f = compileFilter('fltest.u32 == 0x1001 && fltest.str contains "mn1"');
    for (let i = 0; i < 3; i++) {
      assert.equal(f.matches(A.p), true);
      assert.equal(f.matches(B.p), false);
    }
  });
});
