/**
 * A hash map from a pair of int32 keys to an int32 value, on flat typed arrays (linear
 * probing, backward-shift deletion). The correlator's per-frame lookups — (source, destination)
 * address ids → endpoint pair, and (pair and direction, GRE key) → binding — go through it:
 * no boxing, no allocation, a few adjacent memory reads per lookup.
 */
/** Slots of an open-addressing table for `capacity` entries kept at most half full: a power of two, at least 16. */
export function slotCount(capacity: number): number {
  let cap = 16;
  while (cap < capacity * 2) cap *= 2;
  return cap;
}

export class IntPairMap {
  /** Slot i is t[4i .. 4i+3] = (used, a, b, value): one probe reads one cache line. */
  private t: Int32Array;
  private mask: number;
  private n = 0;

  constructor(capacity = 256) {
    const cap = slotCount(capacity);
    this.t = new Int32Array(cap * 4);
    this.mask = cap - 1;
  }

  get size(): number {
    return this.n;
  }

  private static hash(a: number, b: number): number {
    let h = Math.imul(a ^ 0x27d4eb2f, 0x9e3779b1);
    h = Math.imul(h ^ (h >>> 15) ^ b, 0x85ebca6b);
    h ^= h >>> 13;
    h = Math.imul(h, 0xc2b2ae35);
    return (h ^ (h >>> 16)) | 0;
  }

  /** The value for (a, b), or -1 when absent. */
  get(a: number, b: number): number {
    const t = this.t;
    const mask = this.mask;
    let i = IntPairMap.hash(a, b) & mask;
    for (;;) {
      const o = i << 2;
      if (t[o] === 0) return -1;
      if (t[o + 1] === a && t[o + 2] === b) return t[o + 3]!;
      i = (i + 1) & mask;
    }
  }

  set(a: number, b: number, v: number): void {
    const o = this.slot(a, b);
    if (this.t[o] === 0) this.fill(o, a, b);
    this.t[o + 3] = v;
  }

  /** The value for (a, b) when there is one (left as it is); else sets it to v and returns -1. */
  setIfAbsent(a: number, b: number, v: number): number {
    const o = this.slot(a, b);
    if (this.t[o] !== 0) return this.t[o + 3]!;
    this.fill(o, a, b);
    this.t[o + 3] = v;
    return -1;
  }

  /** Where (a, b) is, or the free slot where it goes (the table grown first when half full): an index into t. */
  private slot(a: number, b: number): number {
    if ((this.n + 1) * 2 > this.mask + 1) this.grow();
    const t = this.t;
    const mask = this.mask;
    let i = IntPairMap.hash(a, b) & mask;
    for (;;) {
      const o = i << 2;
      if (t[o] === 0 || (t[o + 1] === a && t[o + 2] === b)) return o;
      i = (i + 1) & mask;
    }
  }

  /** Takes the free slot at o for (a, b). */
  private fill(o: number, a: number, b: number): void {
    const t = this.t;
    t[o] = 1;
    t[o + 1] = a;
    t[o + 2] = b;
    this.n++;
  }

  delete(a: number, b: number): boolean {
    const t = this.t;
    const mask = this.mask;
    let i = IntPairMap.hash(a, b) & mask;
    for (;;) {
      const o = i << 2;
      if (t[o] === 0) return false;
      if (t[o + 1] === a && t[o + 2] === b) break;
      i = (i + 1) & mask;
    }
    // backward-shift deletion keeps every probe chain unbroken
    let j = i;
    for (;;) {
      j = (j + 1) & mask;
      const oj = j << 2;
      if (t[oj] === 0) break;
      const home = IntPairMap.hash(t[oj + 1]!, t[oj + 2]!) & mask;
      // move j into the hole at i when its home slot is not in (i, j] (cyclically)
      if (i <= j ? home <= i || home > j : home <= i && home > j) {
        const oi = i << 2;
        t[oi + 1] = t[oj + 1]!;
        t[oi + 2] = t[oj + 2]!;
        t[oi + 3] = t[oj + 3]!;
        i = j;
      }
    }
    t[i << 2] = 0;
    this.n--;
    return true;
  }

  private grow(): void {
    const old = this.t;
    const cap = (this.mask + 1) * 2;
    const t = new Int32Array(cap * 4);
    const mask = cap - 1;
    // every key is distinct: each goes to the first free slot of its probe chain
    for (let o = 0; o < old.length; o += 4) {
      if (old[o] === 0) continue;
      const a = old[o + 1]!;
      const b = old[o + 2]!;
      let i = IntPairMap.hash(a, b) & mask;
      while (t[i << 2] !== 0) i = (i + 1) & mask;
      const n = i << 2;
      t[n] = 1;
      t[n + 1] = a;
      t[n + 2] = b;
      t[n + 3] = old[o + 3]!;
    }
    this.t = t;
    this.mask = mask;
  }
}

/**
 * (a, b) → one or several small non-negative ints (binding indexes), on an IntPairMap: a single
 * value is stored inline; several go to a side set referenced by a negative value (a Set, not
 * an array: many bindings may share one home prefix, and a renewal removes and re-adds its
 * binding, which must not cost a scan of the others).
 * `get` returns -1 (none), the value (one), or MULTIPLE (several).
 */
export const MULTIPLE = -2;

export class MultiIndex {
  private readonly m = new IntPairMap(64);
  private readonly lists: (Set<number> | null)[] = [];
  private readonly free: number[] = [];

  get(a: number, b: number): number {
    const v = this.m.get(a, b);
    return v <= MULTIPLE ? MULTIPLE : v;
  }

  /** All values of (a, b), in the order they were added. */
  all(a: number, b: number): number[] {
    const v = this.m.get(a, b);
    if (v === -1) return [];
    return v >= 0 ? [v] : [...this.lists[-v - 2]!];
  }

  /** Adds x under (a, b). Returns what get(a, b) gave before: -1 (none), the value, or MULTIPLE. */
  add(a: number, b: number, x: number): number {
    const v = this.m.setIfAbsent(a, b, x);
    if (v === -1) return -1; // the usual case: one probe
    if (v >= 0) {
      if (v === x) return v;
      const k = this.free.length ? this.free.pop()! : this.lists.length;
      this.lists[k] = new Set([v, x]);
      this.m.set(a, b, -k - 2);
      return v;
    }
    this.lists[-v - 2]!.add(x);
    return MULTIPLE;
  }

  remove(a: number, b: number, x: number): void {
    const v = this.m.get(a, b);
    if (v === -1) return;
    if (v >= 0) {
      if (v === x) this.m.delete(a, b);
      return;
    }
    const k = -v - 2;
    const l = this.lists[k]!;
    if (!l.delete(x)) return;
    if (l.size === 1) {
      this.m.set(a, b, l.values().next().value!);
      this.lists[k] = null;
      this.free.push(k);
    }
  }
}
