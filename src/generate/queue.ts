/**
 * The generator's time queue: every source of frames (a flow, a timeline script, a pending PBU
 * or PBA) sits here keyed by (time, insertion order). A calendar queue (a ring of time buckets
 * of width W) in front of a heap for the far future: sources are periodic, so most reschedules
 * land a few buckets ahead and cost one append; a bucket is sorted once when time reaches it
 * (it holds a handful of entries), and an entry rescheduled into the bucket being drained is
 * inserted in order. test/generate/queue.test.ts checks the order against a sorted reference.
 */

/** What the queue orders: a time (ns) and an insertion order that breaks ties. */
export interface Entry {
  t: number;
  ord: number;
}

/** A small binary heap of entries on (t, ord), used for one calendar bucket and for the far future. */
export class EntryHeap<T extends Entry = Entry> {
  items: T[] = [];
  push(x: T): void {
    const a = this.items;
    let i = a.length;
    a.push(x);
    while (i > 0) {
      const p = (i - 1) >> 1;
      const y = a[p]!;
      if (y.t < x.t || (y.t === x.t && y.ord < x.ord)) break;
      a[i] = y;
      i = p;
    }
    a[i] = x;
  }
  pop(): T | undefined {
    const a = this.items;
    const top = a[0];
    const last = a.pop()!;
    if (a.length > 0) this.down(last);
    return top;
  }
  /** Moves the (grown) top down. */
  down(x: T = this.items[0]!): void {
    const a = this.items;
    const n = a.length;
    let i = 0;
    for (;;) {
      let c = 2 * i + 1;
      if (c >= n) break;
      let y = a[c]!;
      if (c + 1 < n) {
        const z = a[c + 1]!;
        if (z.t < y.t || (z.t === y.t && z.ord < y.ord)) {
          c++;
          y = z;
        }
      }
      if (x.t < y.t || (x.t === y.t && x.ord < y.ord)) break;
      a[i] = y;
      i = c;
    }
    a[i] = x;
  }
}

/** (t, ord) order of entries. */
function before(x: Entry, y: Entry): boolean {
  return x.t < y.t || (x.t === y.t && x.ord < y.ord);
}

/**
 * The calendar queue (see the top of this file). `width` is the bucket width in ns.
 *
 * A bucket's array is kept between uses (its live part is [0, len[i]) ): `length = 0` would
 * drop its backing store, and refilling it would allocate a new one each time round the ring
 * (one allocation every few frames, all of it work for the garbage collector).
 */
export class CalendarQueue<T extends Entry = Entry> {
  private readonly buckets: (T | null)[][];
  /** Live entries of each bucket. */
  private readonly lens: Int32Array;
  private readonly mask: number;
  /** Start time of the current bucket, its ring index, and how much of it was consumed. */
  private cur = 0;
  private idx = 0;
  private pos = 0;
  private curArr: (T | null)[];
  private windowEnd: number;
  private inWheel = 0;
  private readonly far = new EntryHeap<T>();
  size = 0;

  constructor(
    private readonly width: number,
    ringBits = 14,
  ) {
    this.buckets = Array.from({ length: 1 << ringBits }, () => []);
    this.lens = new Int32Array(1 << ringBits);
    this.mask = (1 << ringBits) - 1;
    this.curArr = this.buckets[0]!;
    this.windowEnd = width * (this.mask + 1);
  }

  push(x: T): void {
    this.size++;
    this.place(x);
  }

  private place(x: T): void {
    if (x.t >= this.windowEnd) {
      this.far.push(x);
      return;
    }
    this.inWheel++;
    if (x.t < this.cur + this.width) {
      // into the bucket being drained: keep its unconsumed part sorted
      const a = this.curArr;
      const n = this.lens[this.idx]!;
      let lo = this.pos;
      let hi = n;
      while (lo < hi) {
        const mid = (lo + hi) >> 1;
        if (before(a[mid]!, x)) lo = mid + 1;
        else hi = mid;
      }
      if (n < a.length) a[n] = null;
      else a.push(null);
      for (let i = n; i > lo; i--) a[i] = a[i - 1]!;
      a[lo] = x;
      this.lens[this.idx] = n + 1;
      return;
    }
    const b = (this.idx + Math.floor((x.t - this.cur) / this.width)) & this.mask;
    const a = this.buckets[b]!;
    const n = this.lens[b]!;
    if (n < a.length) a[n] = x;
    else a.push(x);
    this.lens[b] = n + 1;
  }

  /** The earliest entry (it stays queued). */
  peek(): T | undefined {
    if (this.size === 0) return undefined;
    while (this.pos >= this.lens[this.idx]!) this.advance();
    return this.curArr[this.pos]!;
  }

  private advance(): void {
    // the consumed bucket: drop its references (the array itself stays for the next round)
    const done = this.curArr;
    for (let i = this.lens[this.idx]! - 1; i >= 0; i--) done[i] = null;
    this.lens[this.idx] = 0;
    this.pos = 0;
    if (this.inWheel === 0) {
      // nothing within the window: jump to the far future's first entry
      this.cur = Math.floor(this.far.items[0]!.t / this.width) * this.width;
    } else {
      this.cur += this.width;
      this.idx = (this.idx + 1) & this.mask;
    }
    this.windowEnd = this.cur + this.width * (this.mask + 1);
    this.curArr = this.buckets[this.idx]!;
    while (this.far.items.length > 0 && this.far.items[0]!.t < this.windowEnd) this.place(this.far.pop()!);
    // insertion sort: buckets hold a few entries
    const a = this.curArr;
    const n = this.lens[this.idx]!;
    for (let i = 1; i < n; i++) {
      const x = a[i]!;
      let j = i - 1;
      while (j >= 0 && before(x, a[j]!)) {
        a[j + 1] = a[j]!;
        j--;
      }
      a[j + 1] = x;
    }
  }

  /** Removes the entry peek() returned. */
  pop(): void {
    this.pos++;
    this.inWheel--;
    this.size--;
  }

  /** The entry peek() returned now has a later (t, ord): move it. */
  fixTop(): void {
    const x = this.curArr[this.pos++]!;
    this.inWheel--;
    this.place(x);
  }
}
