/**
 * Named dispatch tables where protocols meet ("ip.proto", "udp.port", "ethertype", ...).
 * Lookups are array indexes. Protocols register into tables; none imports another.
 */
import type { Packet } from './packet.js';

export interface Dissector {
  /** Protocol field id (for frame.protocols and error messages). */
  readonly proto: number;
  /** Short name used in errors and frame.protocols, e.g. "gre". */
  readonly name: string;
  /**
   * Dissects bytes [off, end) of the frame under tree node `parent`. `end` is the reported end
   * (what the enclosing layer declared); reads past the captured length are truncation, reads
   * past `end` are malformation (see Packet.need).
   */
  dissect(p: Packet, off: number, end: number, parent: number): void;
  /**
   * Optional heuristic acceptance test for tables that try several candidates (e.g. the
   * UDP payload demultiplexer). Must not add anything to the tree.
   */
  accepts?(p: Packet, off: number, end: number): boolean;
}

export class DispatchTable {
  /**
   * Slots in pages of 256 keys (key >> 8 → page, key & 255 → slot), pages created when a key
   * is registered: a 16-bit key space costs a few hundred bytes, not a 64K-slot array per table.
   */
  private readonly pages: (Dissector | undefined)[][];
  constructor(
    readonly name: string,
    readonly size: number,
  ) {
    this.pages = new Array<(Dissector | undefined)[]>((size + 255) >>> 8);
    for (let i = 0; i < this.pages.length; i++) this.pages[i] = EMPTY_PAGE;
  }
  add(key: number, d: Dissector): void {
    if (key < 0 || key >= this.size) throw new Error(`${this.name}: key ${key} out of range`);
    let page = this.pages[key >>> 8]!;
    if (page === EMPTY_PAGE) {
      page = new Array<Dissector | undefined>(256).fill(undefined);
      this.pages[key >>> 8] = page;
    }
    page[key & 255] = d;
  }
  /** The dissector registered for `key` (an integer; undefined when none or out of range). */
  get(key: number): Dissector | undefined {
    const page = this.pages[key >>> 8];
    return page === undefined ? undefined : page[key & 255];
  }
  entries(): [number, Dissector][] {
    const out: [number, Dissector][] = [];
    this.pages.forEach((page, hi) => page.forEach((d, lo) => d && out.push([(hi << 8) | lo, d])));
    return out;
  }
}

/** The page of a range where nothing is registered (shared, never written: add() replaces it). */
const EMPTY_PAGE: (Dissector | undefined)[] = new Array<Dissector | undefined>(256).fill(undefined);

const tables = new Map<string, DispatchTable>();

/** Returns the named table, creating it with the given key space on first use. */
export function table(name: string, size = 65536): DispatchTable {
  let t = tables.get(name);
  if (!t) {
    t = new DispatchTable(name, size);
    tables.set(name, t);
  }
  return t;
}

export function allTables(): DispatchTable[] {
  return [...tables.values()];
}
