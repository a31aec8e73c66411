/**
 * Interning of short strings decoded from frame bytes (addresses, MN identifiers in signalling):
 * the same bytes give the same string object without decoding them again. Signalling repeats
 * the same few endpoints and identities, and a string seen before has its hash cached, so the
 * correlator's Map lookups by these strings get cheaper too.
 *
 * Bounded: past `limit` entries the table starts over (a miss only costs a decode).
 */
const SEED = 0x811c9dc5;

export class BytesInterner {
  private slots: Int32Array;
  private mask: number;
  /** Per entry: its bytes (a copy), its string, its hash. */
  private bytes: Uint8Array[] = [];
  private strings: string[] = [];
  private hashes: number[] = [];

  constructor(
    private readonly decode: (data: Uint8Array, start: number, end: number) => string,
    private readonly limit = 1 << 16,
  ) {
    this.slots = new Int32Array(64).fill(-1);
    this.mask = 63;
  }

  /** The string of data[start, end), decoded once per distinct byte sequence. */
  get(data: Uint8Array, start: number, end: number): string {
    let h = SEED ^ (end - start);
    for (let i = start; i < end; i++) h = Math.imul(h ^ data[i]!, 0x01000193);
    h |= 0;
    const slots = this.slots;
    const mask = this.mask;
    let i = h & mask;
    for (;;) {
      const id = slots[i]!;
      if (id < 0) break;
      if (this.hashes[id] === h && sameBytes(this.bytes[id]!, data, start, end)) return this.strings[id]!;
      i = (i + 1) & mask;
    }
    const s = this.decode(data, start, end);
    if (this.strings.length >= this.limit) {
      this.clear();
      return s;
    }
    const id = this.strings.length;
    this.bytes.push(data.slice(start, end));
    this.strings.push(s);
    this.hashes.push(h);
    if ((id + 1) * 2 > slots.length) this.grow();
    else slots[i] = id;
    return s;
  }

  private clear(): void {
    this.bytes = [];
    this.strings = [];
    this.hashes = [];
    this.slots = new Int32Array(64).fill(-1);
    this.mask = 63;
  }

  private grow(): void {
    const cap = this.slots.length * 2;
    const slots = new Int32Array(cap).fill(-1);
    const mask = cap - 1;
    for (let id = 0; id < this.hashes.length; id++) {
      let i = this.hashes[id]! & mask;
      while (slots[i]! >= 0) i = (i + 1) & mask;
      slots[i] = id;
    }
    this.slots = slots;
    this.mask = mask;
  }
}

function sameBytes(a: Uint8Array, data: Uint8Array, start: number, end: number): boolean {
  if (a.length !== end - start) return false;
  for (let i = 0; i < a.length; i++) if (a[i] !== data[start + i]) return false;
  return true;
}
