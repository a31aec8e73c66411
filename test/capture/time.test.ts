import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import fc from 'fast-check';
import { formatDuration, formatEpoch, formatUtc, TimestampConverter, timeToTicks } from '../../src/capture/time.js';

/** The exact answer with BigInt: floor division and floor nanoseconds. */
function exact(ticks: bigint, tsresol: number): [number, number] {
  const binary = (tsresol & 0x80) !== 0;
  const e = BigInt(tsresol & 0x7f);
  const units = binary ? 1n << e : 10n ** e;
  return [Number(ticks / units), Number(((ticks % units) * 1_000_000_000n) / units)];
}

function convert(ticks: bigint, tsresol: number): [number, number] {
  const c = new TimestampConverter(tsresol);
  c.convert(Number(ticks >> 32n), Number(ticks & 0xffffffffn));
  return [c.sec, c.nsec];
}

const resolutions = [0, 1, 3, 6, 7, 9, 10, 12, 0x80, 0x80 | 10, 0x80 | 20, 0x80 | 23, 0x80 | 24, 0x80 | 29, 0x80 | 30, 0x80 | 40];

describe('TimestampConverter', () => {
  it('converts nanosecond counts above 2^53 exactly', () => {
    const t = 1_700_000_000_123_456_789n; // > 2^53
    assert.deepEqual(convert(t, 9), [1_700_000_000, 123_456_789]);
    assert.deepEqual(convert(t + 1n, 9), [1_700_000_000, 123_456_790]);
    assert.deepEqual(convert(1_700_000_000_999_999_999n, 9), [1_700_000_000, 999_999_999]);
    assert.deepEqual(convert(1_700_000_001_000_000_000n, 9), [1_700_000_001, 0]);
  });

  it('handles the default microsecond resolution and 2^-20', () => {
    assert.deepEqual(convert(1_700_000_000_123_456n, 6), [1_700_000_000, 123_456_000]);
    // 2^-20 s: 0.5 s = 2^19 ticks
    assert.deepEqual(convert((1_700_000_000n << 20n) + (1n << 19n), 0x80 | 20), [1_700_000_000, 500_000_000]);
    // one tick = 953.67431640625 ns, floored
    assert.deepEqual(convert(1n, 0x80 | 20), [0, 953]);
  });

  it('matches BigInt arithmetic for every resolution (property)', () => {
    fc.assert(
      fc.property(fc.bigInt({ min: 0n, max: (1n << 64n) - 1n }), fc.constantFrom(...resolutions), (ticks, res) => {
        const [es, en] = exact(ticks, res);
        const [s, n] = convert(ticks, res);
        // seconds beyond 2^53 are not representable; compare where they are
        if (es <= Number.MAX_SAFE_INTEGER) assert.equal(s, es, `sec for ${ticks} at ${res}`);
        assert.equal(n, en, `nsec for ${ticks} at ${res}`);
      }),
      { numRuns: 3000 },
    );
  });

  it('matches BigInt around realistic dates (property)', () => {
    fc.assert(
      fc.property(fc.integer({ min: 0, max: 2 ** 32 - 1 }), fc.integer({ min: 0, max: 999_999_999 }), fc.constantFrom(6, 9, 0x80 | 20, 0x80 | 29), (sec, frac, res) => {
        const units = (res & 0x80) !== 0 ? 1n << BigInt(res & 0x7f) : 10n ** BigInt(res);
        const ticks = BigInt(sec) * units + (BigInt(frac) * units) / 1_000_000_000n;
        assert.deepEqual(convert(ticks, res), exact(ticks, res));
      }),
      { numRuns: 3000 },
    );
  });

  it('applies if_tsoffset and labels resolutions', () => {
    const c = new TimestampConverter(9, 100);
    c.convert(0, 1_000_000_005);
    assert.deepEqual([c.sec, c.nsec], [101, 5]);
    assert.equal(new TimestampConverter(6).label, 'microseconds');
    assert.equal(new TimestampConverter(9).label, 'nanoseconds');
    assert.equal(new TimestampConverter(0x80 | 20).label, '2^-20 s');
    assert.equal(new TimestampConverter(4).label, '10^-4 s');
    assert.equal(new TimestampConverter(0x80 | 20).unitsPerSecond, 1048576);
  });
});

describe('timeToTicks', () => {
  it('is the inverse of the converter (property)', () => {
    fc.assert(
      fc.property(fc.integer({ min: 0, max: 2 ** 32 - 1 }), fc.integer({ min: 0, max: 999_999_999 }), fc.boolean(), (sec, nsec, nano) => {
        const t = { hi: 0, lo: 0 };
        timeToTicks(sec, nsec, nano, t);
        const expected = nano ? BigInt(sec) * 1_000_000_000n + BigInt(nsec) : BigInt(sec) * 1_000_000n + BigInt(Math.floor(nsec / 1000));
        assert.equal((BigInt(t.hi) << 32n) | BigInt(t.lo), expected);
        assert.ok(t.lo >= 0 && t.lo <= 0xffffffff && t.hi >= 0 && t.hi <= 0xffffffff);
      }),
      { numRuns: 3000 },
    );
  });
});

describe('time formatting', () => {
  it('prints nine decimals', () => {
    assert.equal(formatEpoch(1_700_000_000, 123_456_000), '1700000000.123456000');
    assert.equal(formatEpoch(0, 5), '0.000000005');
    assert.equal(formatEpoch(-1, 250_000_000), '-0.750000000');
    assert.equal(formatDuration(10, 900_000_000, 12, 100_000_000), '1.200000000');
    assert.equal(formatUtc(1_700_000_000, 1), '2023-11-14 22:13:20.000000001 UTC');
  });
});
