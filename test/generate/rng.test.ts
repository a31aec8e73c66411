/**
 * The seeded PRNG: xoshiro128** against the reference C implementation's output (state
 * {1, 2, 3, 4}, computed with an independent Python transcription of
 * https://prng.di.unimi.it/xoshiro128starstar.c), and the splitmix32 seeding.
 */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { Rng, hash32 } from '../../src/generate/rng.js';

test('xoshiro128** matches the reference output for state {1,2,3,4}', () => {
  const r = new Rng([1, 2, 3, 4]);
  assert.deepEqual(
    Array.from({ length: 6 }, () => r.nextU32()),
    [11520, 0, 5927040, 70819200, 2031721883, 1637235492],
  );
});

test('integer seeds are expanded with splitmix32 (reference values)', () => {
  const a = new Rng(1);
  assert.deepEqual(Array.from({ length: 5 }, () => a.nextU32()), [2442144158, 3238099751, 3819917871, 2104621829, 2021136066]);
  const b = new Rng(42);
  assert.deepEqual(Array.from({ length: 5 }, () => b.nextU32()), [2837322924, 544945897, 479756282, 3500138142, 339756180]);
});

test('same seed, same stream; different seed, different stream', () => {
  const x = new Rng(7);
  const y = new Rng(7);
  const z = new Rng(8);
  const xs = Array.from({ length: 100 }, () => x.nextU32());
  assert.deepEqual(xs, Array.from({ length: 100 }, () => y.nextU32()));
  assert.notDeepEqual(xs, Array.from({ length: 100 }, () => z.nextU32()));
});

test('below() stays in range and covers it; int() is inclusive', () => {
  const r = new Rng(3);
  const seen = new Set<number>();
  for (let i = 0; i < 2000; i++) {
    const v = r.below(10);
    assert.ok(v >= 0 && v < 10 && Number.isInteger(v));
    seen.add(v);
  }
  assert.equal(seen.size, 10);
  for (let i = 0; i < 200; i++) {
    const v = r.int(5, 6);
    assert.ok(v === 5 || v === 6);
  }
  assert.equal(r.below(1), 0);
});

test('fill() writes every octet of the range only', () => {
  const r = new Rng(9);
  const b = new Uint8Array(11).fill(0xee);
  r.fill(b, 1, 10);
  assert.equal(b[0], 0xee);
  assert.equal(b[10], 0xee);
  assert.ok(b.subarray(1, 10).some((x) => x !== 0xee));
});

test('fork() gives an independent, reproducible stream', () => {
  const a = new Rng(5).fork();
  const b = new Rng(5).fork();
  assert.equal(a.nextU32(), b.nextU32());
  assert.notEqual(new Rng(5).fork().nextU32(), new Rng(6).fork().nextU32());
});

test('hash32 is FNV-1a', () => {
  assert.equal(hash32(''), 0x811c9dc5);
  assert.equal(hash32('a'), 0xe40c292c);
  assert.equal(hash32('foobar'), 0xbf9cf968);
});
