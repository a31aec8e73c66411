/**
 * A small, well-known seeded PRNG: xoshiro128** 1.1 (Blackman & Vigna, 2018), seeded through
 * splitmix32 so any 32-bit seed gives a well-mixed non-zero state. Deterministic on every
 * platform (pure 32-bit integer arithmetic via Math.imul), no dependency on Math.random or the
 * clock. Reference: https://prng.di.unimi.it/xoshiro128starstar.c
 */

/** splitmix32 step: returns [next state, output]. */
function splitmix32(state: number): [number, number] {
  state = (state + 0x9e3779b9) | 0;
  let z = state;
  z = Math.imul(z ^ (z >>> 16), 0x85ebca6b);
  z = Math.imul(z ^ (z >>> 13), 0xc2b2ae35);
  z ^= z >>> 16;
  return [state, z >>> 0];
}

function rotl(x: number, k: number): number {
  return (x << k) | (x >>> (32 - k));
}

export class Rng {
  /**
   * The four 32-bit state words, in an Int32Array: as object fields they would mostly be
   * numbers beyond V8's small-integer range, each one a separate heap box (one generator per
   * session and per node, touched at random times). The arithmetic is the same on the int32
   * view of the words.
   */
  private readonly s = new Int32Array(4);

  /**
   * Seeds from a 32-bit integer (splitmix32 expansion), or from an explicit 4-word state
   * (used by the reference-vector test; must not be all zero).
   */
  constructor(seed: number | readonly [number, number, number, number] = 1) {
    const s = this.s;
    if (typeof seed === 'number') {
      let st = seed >>> 0;
      for (let i = 0; i < 4; i++) {
        const [n, out] = splitmix32(st);
        st = n;
        s[i] = out;
      }
    } else {
      for (let i = 0; i < 4; i++) s[i] = seed[i]!;
    }
    if ((s[0]! | s[1]! | s[2]! | s[3]!) === 0) s[0] = 1;
  }

  /** Next 32-bit unsigned integer. */
  nextU32(): number {
    const s = this.s;
    const s0 = s[0]!;
    const s1 = s[1]!;
    const s2 = s[2]! ^ s0;
    const s3 = s[3]! ^ s1;
    const result = Math.imul(rotl(Math.imul(s1, 5), 7), 9) >>> 0;
    s[0] = s0 ^ s3;
    s[1] = s1 ^ s2;
    s[2] = s2 ^ (s1 << 9);
    s[3] = rotl(s3, 11);
    return result;
  }

  /** Uniform float in [0, 1). */
  next(): number {
    return this.nextU32() / 4294967296;
  }

  /** Uniform integer in [0, n) (n ≤ 2^32), without modulo bias. */
  below(n: number): number {
    if (n <= 1) return 0;
    if (n > 4294967296) throw new RangeError('Rng.below: n too large');
    const limit = 4294967296 - (4294967296 % n);
    for (;;) {
      const x = this.nextU32();
      if (x < limit) return x % n;
    }
  }

  /** Uniform integer in [lo, hi] (inclusive). */
  int(lo: number, hi: number): number {
    return lo + this.below(hi - lo + 1);
  }

  /** Fills `b[start, end)` with random octets. */
  fill(b: Uint8Array, start = 0, end = b.length): void {
    let i = start;
    for (; i + 4 <= end; i += 4) {
      const x = this.nextU32();
      b[i] = x >>> 24;
      b[i + 1] = x >>> 16;
      b[i + 2] = x >>> 8;
      b[i + 3] = x;
    }
    if (i < end) {
      const x = this.nextU32();
      for (let k = 0; i < end; i++, k++) b[i] = x >>> (24 - 8 * k);
    }
  }

  /** An independent generator derived from this one (for per-session / per-flow streams). */
  fork(): Rng {
    return new Rng([this.nextU32(), this.nextU32(), this.nextU32(), this.nextU32() | 1]);
  }
}

/** A 32-bit FNV-1a hash of a string: stable per-name seeds (MAC addresses, per-node streams). */
export function hash32(s: string): number {
  let h = 0x811c9dc5;
  for (let i = 0; i < s.length; i++) {
    h ^= s.charCodeAt(i);
    h = Math.imul(h, 0x01000193);
  }
  return h >>> 0;
}
