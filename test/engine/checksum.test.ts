/**
 * The Internet checksum (src/engine/checksum.ts) against a plain RFC 1071 reference: the sum
 * folded at every step over big-endian 16-bit words. The engine sums long ranges through a
 * 32-bit view, so ranges are taken at every alignment and length, inside larger buffers.
 */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import fc from 'fast-check';
import { finish, internetChecksum, onesSum, pseudoHeaderSum } from '../../src/engine/checksum.js';

/** RFC 1071 §4.1, folding as it goes. */
function reference(d: Uint8Array, start: number, end: number, initial = 0): number {
  let s = initial;
  for (let i = start; i < end; i += 2) {
    s += (d[i]! << 8) | (i + 1 < end ? d[i + 1]! : 0);
    s = (s & 0xffff) + (s >>> 16);
  }
  while (s > 0xffff) s = (s & 0xffff) + (s >>> 16);
  return ~s & 0xffff;
}

test('RFC 1071 §3 example: 00 01 f2 03 f4 f5 f6 f7 sums to 0xddf2', () => {
  const d = new Uint8Array([0x00, 0x01, 0xf2, 0x03, 0xf4, 0xf5, 0xf6, 0xf7]);
  assert.equal(internetChecksum(d, 0, d.length), ~0xddf2 & 0xffff);
  // the same eight bytes repeated past the word-wise threshold, at every alignment
  const big = new Uint8Array(8 * 40 + 3);
  for (let a = 0; a < 3; a++) {
    for (let i = 0; i < 8 * 40; i++) big[a + i] = d[i % 8]!;
    assert.equal(internetChecksum(big, a, a + 8 * 40), reference(big, a, a + 8 * 40), `alignment ${a}`);
  }
});

test('every alignment and length from 0 to 300 bytes equals the reference', () => {
  const buf = new Uint8Array(400);
  let x = 12345;
  for (let i = 0; i < buf.length; i++) buf[i] = (x = (x * 1103515245 + 12345) >>> 0) >>> 24;
  for (let start = 0; start < 8; start++) {
    for (let len = 0; len <= 300; len++) {
      assert.equal(internetChecksum(buf, start, start + len), reference(buf, start, start + len), `start ${start} len ${len}`);
    }
  }
});

test('all-zero and all-0xff ranges keep RFC 1071 zero handling (0xffff vs 0x0000)', () => {
  for (const fill of [0x00, 0xff]) {
    for (const len of [0, 1, 2, 47, 48, 64, 65, 1500]) {
      for (const start of [0, 1, 2, 3]) {
        const d = new Uint8Array(start + len + 5).fill(fill);
        assert.equal(internetChecksum(d, start, start + len), reference(d, start, start + len), `fill ${fill} start ${start} len ${len}`);
      }
    }
  }
});

test('random ranges of random views equal the reference (fast-check)', () => {
  fc.assert(
    fc.property(
      fc.uint8Array({ minLength: 0, maxLength: 3000 }),
      fc.nat(7),
      fc.nat(),
      fc.nat(),
      fc.nat(0xffff),
      (bytes, shift, a, b, initial) => {
        // a view that starts at an arbitrary byte offset of its buffer
        const host = new Uint8Array(bytes.length + 8);
        const view = host.subarray(shift, shift + bytes.length);
        view.set(bytes);
        const lo = bytes.length === 0 ? 0 : a % (bytes.length + 1);
        const hi = lo + (bytes.length - lo === 0 ? 0 : b % (bytes.length - lo + 1));
        assert.equal(finish(onesSum(view, lo, hi, initial)), reference(view, lo, hi, initial));
      },
    ),
    { numRuns: 2000 },
  );
});

test('pseudo-header sums combine with payload sums as one checksum', () => {
  // an IPv6 UDP datagram: addresses, then an odd-length payload that crosses the threshold
  const d = new Uint8Array(32 + 301);
  for (let i = 0; i < d.length; i++) d[i] = (i * 37 + 11) & 0xff;
  const ps = pseudoHeaderSum(d, 6, 0, 16, 17, 301);
  const expect = reference(
    new Uint8Array([...d.subarray(0, 32), 0, 0, 0x01, 0x2d, 0, 0, 0, 17, ...d.subarray(32)]),
    0,
    32 + 8 + 301,
  );
  assert.equal(finish(onesSum(d, 32, d.length, ps)), expect);
});

test('ranges past one summing block (64 KiB) and very long ranges equal the reference', () => {
  for (const fill of [0xff, -1]) {
    const n = 300_000;
    const d = new Uint8Array(n + 8);
    let x = 99;
    for (let i = 0; i < d.length; i++) d[i] = fill >= 0 ? fill : (x = (x * 1103515245 + 12345) >>> 0) >>> 24;
    for (const [start, len] of [[0, 65536], [1, 65536], [2, 65537], [3, 131075], [0, 262144 + 6], [5, n]] as const) {
      assert.equal(internetChecksum(d, start, start + len), reference(d, start, start + len), `fill ${fill} start ${start} len ${len}`);
    }
  }
});

test('views are told apart: alternating views, buffers and byte offsets', () => {
  // the engine remembers the last view and its buffer; switching between them must not mix them up
  const bufA = new ArrayBuffer(4096);
  const bufB = new ArrayBuffer(4096);
  const fill = (b: ArrayBuffer, seed: number) => {
    const u = new Uint8Array(b);
    for (let i = 0; i < u.length; i++) u[i] = (i * seed + 7) & 0xff;
  };
  fill(bufA, 31);
  fill(bufB, 57);
  const views = [
    new Uint8Array(bufA),
    new Uint8Array(bufA, 1),
    new Uint8Array(bufA, 3, 2000),
    new Uint8Array(bufB, 2),
    new Uint8Array(bufB),
    new Uint8Array(bufA, 1).subarray(5),
  ];
  for (let round = 0; round < 3; round++) {
    for (const [i, v] of views.entries()) {
      for (const [s, len] of [[0, 100], [1, 333], [7, 1500], [2, 64]] as const) {
        assert.equal(finish(onesSum(v, s, s + len)), reference(v, s, s + len), `view ${i} start ${s} len ${len}`);
      }
    }
  }
});

test('a view over a resizable buffer that grows is summed over its new bytes', () => {
  const buf = new (ArrayBuffer as unknown as new (n: number, o: { maxByteLength: number }) => ArrayBuffer & { resize(n: number): void })(256, { maxByteLength: 8192 });
  const v = new Uint8Array(buf); // length-tracking
  v.fill(0x5a);
  assert.equal(finish(onesSum(v, 0, 256)), reference(v, 0, 256));
  buf.resize(8192);
  for (let i = 0; i < v.length; i++) v[i] = (i * 13) & 0xff;
  assert.equal(finish(onesSum(v, 100, 8000)), reference(v, 100, 8000));
});

test('random ranges, alternating between views of several buffers, equal the reference (fast-check)', () => {
  const hosts = [new Uint8Array(5000), new Uint8Array(5000)];
  for (const [j, h] of hosts.entries()) for (let i = 0; i < h.length; i++) h[i] = (i * (j + 3) * 2654435761) >>> 24;
  fc.assert(
    fc.property(fc.nat(1), fc.nat(7), fc.nat(2000), fc.nat(2900), fc.boolean(), (which, shift, start, len, fresh) => {
      const host = hosts[which]!;
      // a fresh view object, or the same long-lived one (the engine's fast path)
      const view = fresh ? host.subarray(shift) : host;
      assert.equal(finish(onesSum(view, start, start + len)), reference(view, start, start + len));
    }),
    { numRuns: 3000 },
  );
});
