/**
 * Hand-built pcapng fixtures (bytes made here, in either byte order, so every field is known).
 * Each comes with what a reader must deliver; oracle.test.ts also checks them against tshark.
 */
import { block, concat, epb, idb, opb, shb, spb, Bytes } from './util.js';

const payload = (n: number, seed: number): Uint8Array => Uint8Array.from({ length: n }, (_, i) => (i * 13 + seed) & 0xff);

export interface Expected {
  caplen: number;
  origlen: number;
  sec: number;
  nsec: number;
  iface: number;
  linkType: number;
  comments?: string[];
  hasTimestamp?: boolean;
}

export interface Fixture {
  name: string;
  bytes: Uint8Array;
  expected: Expected[];
  /** Checked by tshark too (false for features tshark shows differently). */
  oracle: boolean;
}

/** Big-endian throughout: SHB, IDB (nanosecond), EPBs; timestamps above 2^53 ns. */
function bigEndian(): Fixture {
  const le = false;
  const ns = 1_700_000_000_123_456_789n;
  return {
    name: 'big-endian',
    oracle: true,
    bytes: concat(
      shb(le, [[1, 'big-endian section'], [4, 'hand-made']]),
      idb(le, 1, 65535, [[9, Uint8Array.of(9)], [2, 'eth0']]),
      epb(le, 0, ns, payload(60, 1)),
      epb(le, 0, ns + 1_000_000_001n, payload(61, 2), 70),
    ),
    expected: [
      { caplen: 60, origlen: 60, sec: 1_700_000_000, nsec: 123_456_789, iface: 0, linkType: 1 },
      { caplen: 61, origlen: 70, sec: 1_700_000_001, nsec: 123_456_790, iface: 0, linkType: 1 },
    ],
  };
}

/**
 * Two sections of different byte orders; interface ids restart in each section. Section 1:
 * Ethernet (µs) + raw IP (2^-20 s); section 2 (big-endian): Linux SLL (10^-3 s, tsoffset 100).
 */
function sections(): Fixture {
  const tsoff = new Bytes(false).u32(0).u32(100).out();
  return {
    name: 'multiple sections',
    oracle: true,
    bytes: concat(
      shb(true, [[1, 'first section']]),
      idb(true, 1, 262144),
      idb(true, 101, 262144, [[9, Uint8Array.of(0x80 | 20)]]),
      epb(true, 1, (1_700_000_000n << 20n) + 3n, payload(40, 3)),
      epb(true, 0, 1_700_000_000_654_321n, payload(50, 4)),
      shb(false, [[1, 'second section']]),
      idb(false, 113, 1000, [[9, Uint8Array.of(3)], [14, tsoff]]),
      epb(false, 0, 1_700_000_000_250n, payload(44, 5)),
    ),
    expected: [
      { caplen: 40, origlen: 40, sec: 1_700_000_000, nsec: 2861, iface: 1, linkType: 101 },
      { caplen: 50, origlen: 50, sec: 1_700_000_000, nsec: 654_321_000, iface: 0, linkType: 1 },
      { caplen: 44, origlen: 44, sec: 1_700_000_100, nsec: 250_000_000, iface: 2, linkType: 113 },
    ],
  };
}

/** Simple packet blocks (caplen = min(origlen, IDB 0 snaplen)) and an obsolete packet block. */
function simpleAndObsolete(): Fixture {
  const le = true;
  return {
    name: 'simple and obsolete packet blocks',
    oracle: true,
    bytes: concat(
      shb(le),
      idb(le, 1, 64),
      spb(le, 60, payload(60, 6)),
      spb(le, 100, payload(64, 7)), // snapped to 64
      opb(le, 0, 1_700_000_000_000_001n, payload(30, 8), 30, [[1, 'obsolete block comment']]),
    ),
    expected: [
      { caplen: 60, origlen: 60, sec: 0, nsec: 0, iface: 0, linkType: 1, hasTimestamp: false },
      { caplen: 64, origlen: 100, sec: 0, nsec: 0, iface: 0, linkType: 1, hasTimestamp: false },
      { caplen: 30, origlen: 30, sec: 1_700_000_000, nsec: 1000, iface: 0, linkType: 1, comments: ['obsolete block comment'] },
    ],
  };
}

/** Unknown, name-resolution and statistics blocks are skipped; comments are kept everywhere. */
function skippedAndComments(): Fixture {
  const le = true;
  const isb = block(le, 5, new Bytes(le).u32(0).u32(0).u32(0).out());
  const nrb = block(le, 4, new Bytes(le).u16(0).u16(0).out());
  const unknown = block(le, 0x00001234, payload(10, 9));
  return {
    name: 'skipped blocks and comments',
    oracle: true,
    bytes: concat(
      shb(le, [[1, 'section comment 1'], [1, 'section comment 2']]),
      unknown,
      idb(le, 229, 0, [[1, 'interface comment']]),
      nrb,
      epb(le, 0, 1_700_000_000_000_000n, payload(48, 10), 48, [[1, 'packet comment'], [1, 'second one']]),
      unknown,
      epb(le, 0, 1_700_000_000_000_002n, payload(48, 11), 48, [[2, new Bytes(le).u32(1).out()]]),
      isb,
    ),
    expected: [
      { caplen: 48, origlen: 48, sec: 1_700_000_000, nsec: 0, iface: 0, linkType: 229, comments: ['packet comment', 'second one'] },
      { caplen: 48, origlen: 48, sec: 1_700_000_000, nsec: 2000, iface: 0, linkType: 229 },
    ],
  };
}

export function pcapngFixtures(): Fixture[] {
  return [bigEndian(), sections(), simpleAndObsolete(), skippedAndComments()];
}
