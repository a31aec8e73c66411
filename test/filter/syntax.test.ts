/**
 * Lexer, parser and type-check errors: every error is a GretoolError('FILTER') whose message
 * shows the filter with a caret under the offending span (asserted by position).
 */
import assert from 'node:assert/strict';
import { describe, test } from 'node:test';
import { GretoolError } from '../../src/errors.js';
import { FilterError, compileFilter, formatFilterError } from '../../src/filter/index.js';
import { tokenize } from '../../src/filter/lexer.js';
import { parseFilter, type Expr } from '../../src/filter/parser.js';
import './fixture.js';

/** Compiles `expr`, expecting a FilterError with `reason` (a string or pattern) at [start, end). */
function rejects(expr: string, reason: string | RegExp, start: number, end: number): void {
  test(`${JSON.stringify(expr)} → ${reason}`, () => {
    let err: unknown;
    try {
      compileFilter(expr);
    } catch (e) {
      err = e;
    }
    assert.ok(err instanceof GretoolError, `expected a GretoolError, got ${String(err)}`);
    assert.equal(err.code, 'FILTER');
    assert.ok(err instanceof FilterError);
    if (typeof reason === 'string') assert.equal(err.reason, reason);
    else assert.match(err.reason, reason);
    assert.deepEqual([err.start, err.end], [start, end], `span of ${JSON.stringify(err.reason)}`);
    assert.equal(err.message, formatFilterError(expr, err.reason, start, end));
  });
}

describe('the caret message', () => {
  test('shows the filter and a caret under the unknown field', () => {
    let msg = '';
    try {
      compileFilter('gre.kee == 1');
    } catch (e) {
      msg = (e as Error).message;
    }
    assert.equal(msg, 'filter: "gre.kee" is not a valid protocol or field\n  gre.kee == 1\n  ^~~~~~~');
  });
  test('tabs and newlines are shown as spaces so the caret lines up', () => {
    assert.equal(formatFilterError('a\tb', 'x', 2, 3), 'filter: x\n  a b\n    ^');
  });
  test('an error at the end points just past the text', () => {
    assert.equal(formatFilterError('gre ==', 'Unexpected end of filter expression.', 6, 7), 'filter: Unexpected end of filter expression.\n  gre ==\n        ^');
  });
});

describe('syntax errors', () => {
  rejects('fltest.u8 ==', 'Unexpected end of filter expression.', 12, 13);
  rejects('(fltest', 'Unexpected end of filter expression.', 7, 8);
  rejects('fltest)', '")" was unexpected in this context.', 6, 7);
  rejects('fltest.u8 = 1', '"=" was unexpected in this context.', 10, 11);
  rejects('fltest.u8 == 1 2', '"2" was unexpected in this context.', 15, 16);
  rejects('== 1', '"==" was unexpected in this context.', 0, 2);
  rejects('fltest && && fltest', '"&&" was unexpected in this context.', 10, 12);
  rejects('fltest AND fltest', '"AND" was unexpected in this context.', 7, 10);
  rejects('fltest ^^ fltest', '"^" was unexpected in this context.', 7, 8);
  rejects('fltest | fltest', '"|" was unexpected in this context.', 7, 8);
  rejects('fltest.u8 == 1 == 1', '"==" was unexpected in this context.', 15, 17);
  rejects('fltest.u8 == -(-42)', '"(" was unexpected in this context.', 14, 15);
  rejects('fltest.u32 in {1 2}', '"2" was unexpected in this context.', 17, 18);
  rejects('fltest.u32 in {}', '"}" was unexpected in this context.', 15, 16);
  rejects('fltest.u32 in {1..}', '"}" was unexpected in this context.', 18, 19);
  rejects('fltest.u32 in 1', '"1" was unexpected in this context.', 14, 15);
  rejects('fltest.str == "abc', 'The final quote was missing from a quoted string.', 18, 19);
  rejects("fltest.u8 == 'ab'", "'ab' is too long to be a valid character constant.", 13, 17);
  rejects("fltest.u8 == ''", "'' is not a valid character constant.", 13, 15);
  rejects('fltest.str == "\\q"', '\\q is not a valid character escape sequence', 15, 17);
  rejects('fltest.str == "\\777"', '\\777 is larger than 255.', 15, 19);
  rejects('fltest.str == "\\u0041"', '\\u0041 is not a valid universal character name', 15, 21);
  rejects('fltest.bytes[0:', 'The right bracket was missing from a slice.', 15, 16);
  rejects('fltest.bytes[0:0] == 01', "Range 0:0 isn't valid because length 0 isn't positive", 13, 16);
  rejects('fltest.bytes[a:b] == 01', '"a:b" is not a valid range.', 13, 16);
  rejects('fltest.u8# 2 == 1', 'Expected digit or "[", not " "', 10, 11);
  rejects('fltest.u8#', 'The layer number or range was missing.', 9, 10);
  rejects('fltest.u8#[x] == 1', '"x" is not a valid layer range.', 11, 12);
});

describe('type errors', () => {
  rejects('fltest.nope == 1', '"fltest.nope" is not a valid protocol or field', 0, 11);
  rejects('fltest.nope', '"fltest.nope" is not a valid protocol or field', 0, 11);
  rejects('fltest.u8 == fltest.nope', '"fltest.nope" is not a valid protocol or field', 13, 24);
  rejects('fltest.nope[0:2] == 01:02', '"fltest.nope" is not a valid protocol or field', 0, 11);
  rejects('fltest.nope + 1 == 2', '"fltest.nope" is not a valid protocol or field', 0, 11);
  rejects('max(fltest.nope, 1) == 2', '"fltest.nope" is not a valid protocol or field', 4, 15);
  rejects('1 == 1', 'Left side of "==" expression must be a field or function, not 1.', 0, 1);
  rejects('10.0.0.7 eq fltest.ipv4', 'Left side of "eq" expression must be a field or function, not 10.0.0.7.', 0, 8);
  rejects('"abc"', '"abc" is neither a field nor a protocol name.', 0, 5);
  rejects('fltest.u8 == 300', '"300" too big for this field, maximum 255.', 13, 16);
  rejects('fltest.u32 == 0x100000000', '"0x100000000" too big for this field, maximum 4294967295.', 14, 25);
  rejects('fltest.u32 == 1.2.3.4', '"1.2.3.4" is not a valid number.', 14, 21);
  rejects('fltest.u32 == 09', '"09" is not a valid number.', 14, 16);
  rejects('fltest.u32 == "1"', 'Unsigned integer (4 bytes) cannot be converted from a string ("1").', 14, 17);
  rejects('fltest.status == "nope"', '"nope" cannot be found among the possible values for fltest.status.', 17, 23);
  rejects('fltest.status == nope', '"nope" cannot be found among the possible values for fltest.status.', 17, 21);
  rejects('fltest.flag == true', '"true" cannot be found among the possible values for fltest.flag.', 15, 19);
  rejects('fltest.ipv4 == "x"', 'IPv4 address cannot be converted from a string ("x").', 15, 18);
  rejects('fltest.ipv4 == 10.0.0.256', '"10.0.0.256" is not a valid hostname or IPv4 address.', 15, 25);
  rejects('fltest.ipv4 == 010.0.0.7', '"010.0.0.7" is not a valid hostname or IPv4 address.', 15, 24);
  rejects('fltest.ipv4 == 10.0.0.1/33', 'Netmask bits in a CIDR IPv4 address should be <= 32, not 33', 15, 26);
  rejects('fltest.ipv4 == ::1', '"::1" is not a valid hostname or IPv4 address.', 15, 18);
  rejects('fltest.ipv6 == 10.0.0.1', '"10.0.0.1" is not a valid hostname or IPv6 address.', 15, 23);
  rejects('fltest.ipv6 == 2001:db8::/129', 'Prefix in a IPv6 address should be <= 128, not 129', 15, 29);
  rejects('fltest.ipv6 == 1::2::3', '"1::2::3" is not a valid hostname or IPv6 address.', 15, 22);
  rejects('fltest.ether == 02:00:00:00:00', '"02:00:00:00:00" contains too few bytes to be a valid Ethernet address.', 16, 30);
  rejects('fltest.ether == 02:00:00:00:00:01:02', '"02:00:00:00:00:01:02" contains too many bytes to be a valid Ethernet address.', 16, 36);
  rejects('fltest.ether == "02:00:00:00:00:01"', 'Ethernet or other MAC address cannot be converted from a string ("02:00:00:00:00:01").', 16, 35);
  rejects('fltest.bytes == 0x123', '"0x123" is not a valid byte string.', 16, 21);
  rejects('fltest.rel == 1e-3', '"1e-3" is not a valid time.', 14, 18);
  rejects('fltest.abs == "yesterday"', /^"yesterday" is not a valid absolute time/, 14, 25);
  rejects('fltest.u32[0:2] == 01:02', '"fltest.u32" is a Unsigned integer (4 bytes) and cannot be sliced into a sequence of bytes.', 0, 10);
  rejects('fltest.u32 contains 1', 'fltest.u32 (type=Unsigned integer (4 bytes)) cannot participate in contains comparison.', 0, 10);
  rejects('fltest.ipv4 contains 0a', 'fltest.ipv4 (type=IPv4 address) cannot participate in contains comparison.', 0, 11);
  rejects('fltest.u32 matches "1"', 'fltest.u32 (type=Unsigned integer (4 bytes)) cannot participate in matches comparison.', 0, 10);
  rejects('fltest.str matches abc', 'Matches requires a double quoted string on the right side.', 19, 22);
  rejects('fltest.str matches "["', /^Regex compilation error: /, 19, 22);
  rejects('fltest.str matches "a(?-i:b)"', /^Regex compilation error: inline regex options/, 19, 29);
  rejects('fltest.ipv4 == fltest.ipv6', 'fltest.ipv4 and fltest.ipv6 are not of compatible types.', 15, 26);
  rejects('fltest.flag == fltest.u8', 'fltest.flag and fltest.u8 are not of compatible types.', 15, 24);
  rejects('fltest.label == 1', 'fltest.label (type=Label) cannot participate in comparisons.', 0, 12);
  rejects('fltest.bytes[0:2] in {01:02}', 'Only a field may be tested for membership in a set.', 0, 17);
  rejects('len(fltest.u32)', 'You cannot test whether a function is present.', 0, 3);
  rejects('len("abc") == 3', 'Only fields can be used as parameter for len()', 4, 9);
  rejects('foo(fltest.u32) == 1', "Function 'foo' does not exist", 0, 3);
  rejects('upper(fltest.u32) == "A"', 'Only string type fields can be used as parameter for upper()', 6, 16);
  rejects('string(fltest.flag) == "1"', 'String conversion for field "fltest.flag" is not supported', 7, 18);
  rejects('min(fltest.u8, fltest.u16) == 1', "Arguments to 'min' must have the same type (expected Unsigned integer (1 byte), got Unsigned integer (2 bytes))", 15, 25);
  rejects('fltest.flag + 1 == 2', 'fltest.flag (type=Boolean) cannot be used in arithmetic.', 0, 11);
  rejects('fltest.u8 == ${fltest.u8}', /^Field references/, 13, 25);
});

describe('lexer and parser', () => {
  test('words keep addresses, CIDR, MAC forms and hyphenated names whole', () => {
    const words = tokenize('10.0.0.0/8 2001:db8::/32 02-00-00-00-00-01 frame.len-10 0200.0000.0001 a..b').filter((t) => t.kind === 'word').map((t) => t.text);
    assert.deepEqual(words, ['10.0.0.0/8', '2001:db8::/32', '02-00-00-00-00-01', 'frame.len-10', '0200.0000.0001', 'a', 'b']);
  });
  test('operators, word operators and their Wireshark names', () => {
    const ops = tokenize('== eq any_eq != ne all_ne === all_eq !== any_ne ~= > gt >= ge < lt <= le contains matches ~').map((t) => t.op);
    assert.deepEqual(ops.slice(0, -1), ['any_eq', 'any_eq', 'any_eq', 'all_ne', 'all_ne', 'all_ne', 'all_eq', 'all_eq', 'any_ne', 'any_ne', 'any_ne', 'gt', 'gt', 'ge', 'ge', 'lt', 'lt', 'le', 'le', 'contains', 'matches', 'matches']);
  });
  test('string escapes and raw strings', () => {
    const s = (src: string): string => Buffer.from(tokenize(src)[0]!.bytes!).toString('latin1');
    assert.equal(s('"a\\"b\\\\c\\x41\\101\\n\\t"'), 'a"b\\cAA\n\t');
    assert.equal(s('r"a\\d\\"b"'), 'a\\d\\"b');
    assert.equal(s('"\\u00e9"'), '\u00c3\u00a9');
  });
  test('precedence: not > and > or, left to right', () => {
    const e = parseFilter('a or b and not c or d');
    assert.equal(e?.k, 'or');
    const shape = (x: Expr): string =>
      x.k === 'exists' ? (x.v.k === 'word' ? x.v.text : '?') : x.k === 'not' ? `!${shape(x.a)}` : x.k === 'and' || x.k === 'or' ? `(${shape(x.a)} ${x.k} ${shape(x.b)})` : x.k;
    assert.equal(shape(e!), '((a or (b and !c)) or d)');
  });
  test('an empty filter matches everything', () => {
    assert.equal(parseFilter(''), null);
    assert.deepEqual(compileFilter('  ').fields, []);
  });
});
