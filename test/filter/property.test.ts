/**
 * Property tests: whatever the input, compileFilter() throws nothing but GretoolError('FILTER'),
 * and a compiled filter never throws on a frame; negation and the logical operators behave as
 * logic.
 */
import assert from 'node:assert/strict';
import { test } from 'node:test';
import fc from 'fast-check';
import { GretoolError } from '../../src/errors.js';
import { FilterError, compileFilter, type DisplayFilter } from '../../src/filter/index.js';
import { FrameBuilder, T, ascii } from './fixture.js';

function tryCompile(s: string): DisplayFilter | null {
  try {
    return compileFilter(s);
  } catch (e) {
    if (!(e instanceof GretoolError) || e.code !== 'FILTER') throw new Error(`non-FILTER error for ${JSON.stringify(s)}: ${String(e)}`);
    // an engine bug is wrapped as a FILTER error too: that must not happen either
    if (e instanceof FilterError && e.reason.startsWith('internal error')) throw new Error(`engine bug for ${JSON.stringify(s)}: ${e.reason}`);
    return null;
  }
}

const frames = ((): FrameBuilder[] => {
  const a = new FrameBuilder();
  const root = a.proto(T.proto);
  a.field(T.u8, [42], root);
  a.field(T.u32, [0, 0, 0x10, 0x01], root);
  a.field(T.u32, [0, 0, 0x20, 0x02], root);
  a.field(T.ipv4, [10, 0, 0, 7], root);
  a.field(T.ipv6, [0x20, 1, 0xd, 0xb8, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 1], root);
  a.field(T.ether, [2, 0, 0, 0, 0, 1], root);
  a.field(T.bytes, [0xde, 0xad, 0xbe, 0xef], root);
  a.field(T.str, ascii('mn1@example.org'), root);
  a.field(T.flag, [0x20, 0], root);
  a.field(T.status, [3], root);
  a.num(T.rel, 5e8, root);
  a.end(root);
  const b = new FrameBuilder();
  const r2 = b.proto(T.proto);
  b.field(T.u32, [0xff, 0xff, 0xff, 0xff], r2);
  b.field(T.str, [0xc3, 0x28, 0x41], r2); // invalid UTF-8
  b.field(T.bytes, [], r2);
  b.end(r2);
  b.cut(3);
  return [a, b, new FrameBuilder()];
})();

const PIECES = [
  'fltest', 'fltest.u8', 'fltest.u32', 'fltest.ipv4', 'fltest.ipv6', 'fltest.ether', 'fltest.bytes', 'fltest.str', 'fltest.flag',
  'fltest.status', 'fltest.rel', 'fltest.label', 'fltest.nope', 'fltest2.key', '==', '!=', '===', '!==', '~=', '<', '>=', 'eq', 'ne',
  'contains', 'matches', '~', 'in', 'not', '!', 'and', '&&', 'or', '||', 'any', 'all', '(', ')', '{', '}', '[', ']', ',', '..', ':',
  '-', '+', '*', '/', '%', '&', '#', '#2', '[0:2]', '[-1]', '[1-2]', '[:3]', '1', '0x1001', '42', '010', '0b11', '300', '-1',
  '10.0.0.7', '10.0.0.0/8', '2001:db8::1', '2001:db8::/32', '02:00:00:00:00:01', 'de:ad', '0xde', '"mn1"', '"^MN"', '"(?-i)x"',
  '"\\x41"', 'r"\\d"', "'a'", '"unterminated', 'True', 'False', 'len(', 'count(', 'upper(', 'string(', 'max(', 'abs(', '${', '1.5',
  '"2023-11-14 22:13:20"', 'GRE_TUNNELING_BUT_TLV_HEADER_NOT_SUPPORTED', '"[', '"(?i:a)"',
];

const tokenFilter = fc.array(fc.constantFrom(...PIECES), { minLength: 1, maxLength: 9 }).map((xs) => xs.join(' '));
const glued = fc.array(fc.constantFrom(...PIECES), { minLength: 1, maxLength: 6 }).map((xs) => xs.join(''));
const noise = fc.string({ unit: fc.constantFrom(...'ab.:/-[]{}()"\'\\!=<>~&|#$,019xf ^%*+'.split('')), maxLength: 40 });

test('random input never throws anything but GretoolError(FILTER)', () => {
  fc.assert(
    fc.property(fc.oneof(tokenFilter, glued, noise, fc.string({ maxLength: 30 })), (s) => {
      tryCompile(s);
    }),
    { numRuns: 4000 },
  );
});

test('a compiled filter never throws on a frame and answers a boolean', () => {
  fc.assert(
    fc.property(fc.oneof(tokenFilter, glued), (s) => {
      const f = tryCompile(s);
      if (!f) return;
      for (const fr of frames) assert.equal(typeof f.matches(fr.p), 'boolean');
    }),
    { numRuns: 4000 },
  );
});

/** Well-formed tests, to check the logic of the combinators. */
const atom = fc.constantFrom(
  'fltest.u8 == 42', 'fltest.u32 != 0x1001', 'fltest.u32 === 0x1001', 'fltest.ipv4 == 10.0.0.0/8', 'fltest.str contains "mn"',
  'fltest.str matches "^mn"', 'fltest.bytes[0] == de', 'fltest.flag', 'fltest.status in {0, 3}', 'fltest2.key', 'fltest.u8 + 1 > 42',
  'count(fltest.u32) == 2', 'fltest.bytes[4:4] != 00', 'all fltest.u32 > 1', 'fltest.ether[0:3] == 02:00:00',
);
const expr: fc.Arbitrary<string> = fc.letrec<{ e: string }>((tie) => ({
  e: fc.oneof(
    { depthSize: 'small', withCrossShrink: true },
    atom,
    tie('e').map((a) => `!(${a})`),
    fc.tuple(tie('e'), tie('e'), fc.constantFrom('and', 'or', '&&', '||')).map(([a, b, op]) => `(${a}) ${op} (${b})`),
  ),
})).e;

test('not, and, or are logic', () => {
  fc.assert(
    fc.property(expr, expr, (a, b) => {
      const fa = compileFilter(a);
      const fb = compileFilter(b);
      const not = compileFilter(`not (${a})`);
      const and = compileFilter(`(${a}) and (${b})`);
      const or = compileFilter(`(${a}) || (${b})`);
      for (const fr of frames) {
        const x = fa.matches(fr.p);
        const y = fb.matches(fr.p);
        assert.equal(not.matches(fr.p), !x);
        assert.equal(and.matches(fr.p), x && y);
        assert.equal(or.matches(fr.p), x || y);
      }
    }),
    { numRuns: 500 },
  );
});
