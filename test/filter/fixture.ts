/**
 * Test fields of every type, registered under the "fltest" prefix (no dissector uses it), and a
 * small builder of synthetic frames, so the filter engine is tested on its own, independent of
 * the dissectors.
 */
import { defineFields, fieldByName, type FieldSpec } from '../../src/engine/fields.js';
import { GENERATED, HAS_NUM, Packet } from '../../src/engine/packet.js';

function register(): { readonly [K in keyof typeof SPECS]: number } {
  if (fieldByName('fltest')) {
    const ids: Record<string, number> = {};
    for (const [k, spec] of Object.entries(SPECS)) ids[k] = fieldByName(spec.abbrev)!.id;
    return ids as { readonly [K in keyof typeof SPECS]: number };
  }
  return defineFields(SPECS);
}

const SPECS: Record<'proto' | 'proto2' | 'u8' | 'u16' | 'u32' | 'u64' | 'i8' | 'status' | 'flag' | 'ipv4' | 'ipv6' | 'ether' | 'bytes' | 'str' | 'dbl' | 'rel' | 'abs' | 'label' | 'computed' | 'frameno' | 'inner', FieldSpec> = {
  proto: { abbrev: 'fltest', name: 'Filter test protocol', type: 'protocol' },
  proto2: { abbrev: 'fltest2', name: 'Second test protocol', type: 'protocol' },
  u8: { abbrev: 'fltest.u8', name: 'u8', type: 'uint8' },
  u16: { abbrev: 'fltest.u16', name: 'u16', type: 'uint16' },
  u32: { abbrev: 'fltest.u32', name: 'u32', type: 'uint32', base: 'hex' },
  u64: { abbrev: 'fltest.u64', name: 'u64', type: 'uint64' },
  i8: { abbrev: 'fltest.i8', name: 'i8', type: 'int8' },
  status: { abbrev: 'fltest.status', name: 'status', type: 'uint8', strings: { 0: 'Accepted', 3: 'GRE_TUNNELING_BUT_TLV_HEADER_NOT_SUPPORTED', 163: 'GRE key option required' } },
  flag: { abbrev: 'fltest.flag', name: 'flag', type: 'boolean', mask: 0x2000, bits: 16 },
  ipv4: { abbrev: 'fltest.ipv4', name: 'ipv4', type: 'ipv4' },
  ipv6: { abbrev: 'fltest.ipv6', name: 'ipv6', type: 'ipv6' },
  ether: { abbrev: 'fltest.ether', name: 'ether', type: 'ether' },
  bytes: { abbrev: 'fltest.bytes', name: 'bytes', type: 'bytes' },
  str: { abbrev: 'fltest.str', name: 'str', type: 'string' },
  dbl: { abbrev: 'fltest.dbl', name: 'dbl', type: 'double' },
  rel: { abbrev: 'fltest.rel', name: 'rel', type: 'rel_time' },
  abs: { abbrev: 'fltest.abs', name: 'abs', type: 'abs_time' },
  label: { abbrev: 'fltest.label', name: 'label', type: 'none' },
  computed: { abbrev: 'fltest.computed', name: 'computed', type: 'string', compute: () => 'computed-Value' },
  frameno: { abbrev: 'fltest.frameno', name: 'frame number', type: 'framenum' },
  inner: { abbrev: 'fltest2.key', name: 'key of the second protocol', type: 'uint32' },
};

export const T = register();

/** Builds a synthetic frame: bytes, then nodes added with the Packet API. */
export class FrameBuilder {
  readonly p = new Packet();
  private bytes: number[] = [];

  constructor(sec = 1700000000, nsec = 0) {
    this.p.tsSec = sec;
    this.p.tsNsec = nsec;
  }
  /** Appends bytes; returns their offset. */
  put(b: ArrayLike<number>): number {
    const off = this.bytes.length;
    for (let i = 0; i < b.length; i++) this.bytes.push(b[i]!);
    this.sync();
    return off;
  }
  private sync(): void {
    this.p.data = Uint8Array.from(this.bytes);
    this.p.base = 0;
    this.p.caplen = this.bytes.length;
    this.p.origlen = this.bytes.length;
  }
  /** A node over bytes just appended. */
  field(fid: number, b: ArrayLike<number>, parent = -1): number {
    const off = this.put(b);
    return this.p.add(fid, off, b.length, parent);
  }
  num(fid: number, v: number, parent = -1): number {
    return this.p.addNum(fid, -1, 0, parent, v, GENERATED);
  }
  str(fid: number, s: string, parent = -1): number {
    return this.p.addStr(fid, -1, 0, parent, s, GENERATED);
  }
  /** A protocol node covering [off, off+len) (set afterwards with end()). */
  proto(fid: number, parent = -1): number {
    return this.p.add(fid, this.bytes.length, 0, parent);
  }
  end(node: number): void {
    this.p.setLen(node, this.bytes.length - this.p.tree.off[node]!);
  }
  /** Cuts the captured length (truncation). */
  cut(caplen: number): void {
    this.p.caplen = caplen;
  }
  has(node: number, flag: number): boolean {
    return (this.p.tree.flags[node]! & flag) !== 0;
  }
}

export const ascii = (s: string): number[] => [...Buffer.from(s, 'utf8')];
export { HAS_NUM };
