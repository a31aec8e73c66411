/**
 * Interning of short strings decoded from frame bytes (addresses, MN identifiers in signalling):
 * the same bytes give the same string object without decoding them again. Signalling repeats
 * the same few endpoints and identities, and a string seen before has its hash cached, so the
 * correlator's Map lookups by these strings get cheaper too.
 *
 * The known byte sequences lie in one flat pool and their hashes in a typed array, so a hit
 * reads the slot, the hash and the pool, without visiting an object per entry.
 *
 * Bounded: past `limit` entries the table starts over (a miss only costs a decode).
 */
const SEED = 0x811c9dc5;

export class BytesInterner {
  private slots: Int32Array;
  private mask: number;
  /** Per entry: where its bytes (a copy) start in `pool` (they end where the next one starts), its hash, its string. */
  private starts: Int32Array;
  private hashes: Int32Array;
  private strings: string[] = [];
  private pool: Uint8Array;
  private n = 0;
  /** The id of the string the last get() returned (0, 1, 2, … in the order first seen), -1 when it was not kept. */
  lastId = -1;

  constructor(
    private readonly decode: (data: Uint8Array, start: number, end: number) => string,
    private readonly limit = 1 << 16,
  ) {
    this.slots = new Int32Array(64).fill(-1);
    this.mask = 63;
    this.starts = new Int32Array(33);
    this.hashes = new Int32Array(32);
    this.pool = new Uint8Array(1024);
  }

  /** The string of data[start, end), decoded once per distinct byte sequence. */
  get(data: Uint8Array, start: number, end: number): string {
    const len = end - start;
    let h = SEED ^ len;
    for (let i = start; i < end; i++) h = Math.imul(h ^ data[i]!, 0x01000193);
    h |= 0;
    const slots = this.slots;
    const mask = this.mask;
    const hashes = this.hashes;
    const starts = this.starts;
    const pool = this.pool;
    let i = h & mask;
    for (;;) {
      const id = slots[i]!;
      if (id < 0) break;
      if (hashes[id] === h) {
        const s = starts[id]!;
        if (starts[id + 1]! - s === len) {
          let k = 0;
          while (k < len && pool[s + k] === data[start + k]) k++;
          if (k === len) {
            this.lastId = id;
            return this.strings[id]!;
          }
        }
      }
      i = (i + 1) & mask;
    }
    const str = this.decode(data, start, end);
    if (this.n >= this.limit) {
      this.clear();
      this.lastId = -1;
      return str;
    }
    const id = this.n++;
    this.lastId = id;
    if (id >= this.hashes.length) this.growEntries();
    const at = this.starts[id]!;
    if (at + len > this.pool.length) {
      const p = new Uint8Array(Math.max(this.pool.length * 2, at + len));
      p.set(this.pool);
      this.pool = p;
    }
    this.pool.set(data.subarray(start, end), at);
    this.starts[id + 1] = at + len;
    this.hashes[id] = h;
    this.strings.push(str);
    if ((id + 1) * 2 > slots.length) this.grow();
    else slots[i] = id;
    return str;
  }

  private clear(): void {
    this.n = 0;
    this.strings = [];
    this.starts = new Int32Array(33);
    this.hashes = new Int32Array(32);
    this.pool = new Uint8Array(1024);
    this.slots = new Int32Array(64).fill(-1);
    this.mask = 63;
  }

  /** Room for twice as many entries (`starts` has one more element than `hashes`). */
  private growEntries(): void {
    const n = this.hashes.length * 2;
    const h = new Int32Array(n);
    h.set(this.hashes);
    this.hashes = h;
    const s = new Int32Array(n + 1);
    s.set(this.starts);
    this.starts = s;
  }

  private grow(): void {
    const cap = this.slots.length * 2;
    const slots = new Int32Array(cap).fill(-1);
    const mask = cap - 1;
    for (let id = 0; id < this.n; id++) {
      let i = this.hashes[id]! & mask;
      while (slots[i]! >= 0) i = (i + 1) & mask;
      slots[i] = id;
    }
    this.slots = slots;
    this.mask = mask;
  }
}
