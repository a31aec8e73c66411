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
  private readonly slots: (Dissector | undefined)[];
  constructor(
    readonly name: string,
    readonly size: number,
  ) {
    this.slots = new Array(size).fill(undefined);
  }
  add(key: number, d: Dissector): void {
    if (key < 0 || key >= this.size) throw new Error(`${this.name}: key ${key} out of range`);
    this.slots[key] = d;
  }
  get(key: number): Dissector | undefined {
    return this.slots[key];
  }
  entries(): [number, Dissector][] {
    const out: [number, Dissector][] = [];
    this.slots.forEach((d, k) => d && out.push([k, d]));
    return out;
  }
}

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
