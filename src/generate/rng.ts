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

/** A placeholder state for fork(), which seeds the new generator itself. */
const UNSEEDED = [1, 0, 0, 0] as const;

export class Rng {
  /**
   * The four 32-bit state words, held as int32 (`| 0`): on 64-bit V8 an int32 is a small
   * integer stored in the object itself, where an unsigned word ≥ 2^31 would be a separate
   * heap number (and a typed array of four words costs some 200 octets per generator: one
   * generator per session and per node). The arithmetic is the same on the int32 view of the
   * words.
   */
  private s0 = 0;
  private s1 = 0;
  private s2 = 0;
  private s3 = 0;

  /**
   * Seeds from a 32-bit integer (splitmix32 expansion), or from an explicit 4-word state
   * (used by the reference-vector test; must not be all zero).
   */
  constructor(seed: number | readonly [number, number, number, number] = 1) {
    if (typeof seed === 'number') {
      const [st1, o0] = splitmix32(seed >>> 0);
      const [st2, o1] = splitmix32(st1);
      const [st3, o2] = splitmix32(st2);
      const [, o3] = splitmix32(st3);
      this.seed(o0, o1, o2, o3);
    } else {
      // (fork() passes UNSEEDED and sets the state itself)
      this.seed(seed[0], seed[1], seed[2], seed[3]);
    }
  }

  private seed(a: number, b: number, c: number, d: number): void {
    this.s0 = a | 0;
    this.s1 = b | 0;
    this.s2 = c | 0;
    this.s3 = d | 0;
    if ((this.s0 | this.s1 | this.s2 | this.s3) === 0) this.s0 = 1;
  }

  /** Next 32-bit unsigned integer. */
  nextU32(): number {
    const s0 = this.s0;
    const s1 = this.s1;
    const s2 = this.s2 ^ s0;
    const s3 = this.s3 ^ s1;
    const result = Math.imul(rotl(Math.imul(s1, 5), 7), 9) >>> 0;
    this.s0 = s0 ^ s3;
    this.s1 = s1 ^ s2;
    this.s2 = s2 ^ (s1 << 9);
    this.s3 = rotl(s3, 11);
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
    const r = new Rng(UNSEEDED);
    r.seed(this.nextU32(), this.nextU32(), this.nextU32(), this.nextU32() | 1);
    return r;
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
