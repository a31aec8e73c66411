/**
 * Property tests (fast-check): random bytes and mutated fixture frames, on every link type this
 * area dissects, go through Pipeline.dissectBytes without throwing, without hanging, without a
 * "dissector bug" in the link/IP/transport layers, and every node of those layers reads back.
 */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import fc from 'fast-check';
import '../../src/dissectors/index.js';
import { Pipeline } from '../../src/engine/pipeline.js';
import { expertDef } from '../../src/engine/expert.js';
import { fieldByName, fieldDef } from '../../src/engine/fields.js';
import { TEXT_FIELD, type Packet } from '../../src/engine/packet.js';
import { fieldText } from '../../src/output/format.js';
import { fixtureFiles } from '../fixtures/ip/frames.js';

const LINK_TYPES = [0, 1, 101, 113, 228, 229, 276];
const MINE = new Set([
  'eth', 'ethertype', 'vlan', 'ieee8021ad', 'ieee8021ah', 'sll', 'null', 'raw', 'ip', 'ipv6', 'ipv6.hopopts', 'ipv6.routing',
  'ipv6.fraghdr', 'ipv6.dstopts', 'udp', 'tcp', 'icmp', 'icmpv6',
]);
/** A dissector-bug expert names the protocol by its display name. */
const MY_NAMES = new Set([...MINE].map((a) => fieldByName(a)!.name));

const pipe = new Pipeline();
let frameNo = 0;

function check(data: Uint8Array, linkType: number, caplen: number, origlen: number): void {
  const p: Packet = pipe.dissectBytes(data, 0, caplen, origlen, linkType, ++frameNo, 1700000000, 0);
  for (let i = 0; i < p.experts.count; i++) {
    const def = expertDef(p.experts.id[i]!);
    if (def.abbrev !== '_ws.dissector_bug') continue;
    const who = String(p.experts.args[2 * i] ?? '');
    assert.ok(!MY_NAMES.has(who), `dissector bug in ${who}: ${String(p.experts.args[2 * i + 1])}`);
  }
  const t = p.tree;
  for (let n = 0; n < t.count; n++) {
    const fid = t.fid[n]!;
    if (fid === TEXT_FIELD) continue;
    const def = fieldDef(fid);
    if (def.proto < 0 || !MINE.has(fieldDef(def.proto).abbrev)) continue;
    assert.ok(t.off[n]! <= origlen, `${def.abbrev} at ${t.off[n]} past the frame (${origlen})`);
    fieldText(p, n);
  }
  // the columns render
  p.cols.info.toString();
}

test('random bytes on every link type never throw out of the pipeline', { timeout: 120_000 }, () => {
  fc.assert(
    fc.property(fc.constantFrom(...LINK_TYPES), fc.uint8Array({ maxLength: 200 }), fc.nat(300), (lt, bytes, extra) => {
      check(bytes, lt, bytes.length, bytes.length + (extra % 3 === 0 ? extra : 0));
    }),
    { numRuns: 3000 },
  );
});

const SEEDS = fixtureFiles().flatMap((f) => f.frames.map((fr) => ({ linkType: f.linkType, data: fr.data })));

test('mutated fixture frames (flipped octets, cut snap lengths, wrong lengths) never throw', { timeout: 120_000 }, () => {
  fc.assert(
    fc.property(
      fc.constantFrom(...SEEDS),
      fc.array(fc.tuple(fc.nat(), fc.integer({ min: 0, max: 255 })), { maxLength: 6 }),
      fc.nat(),
      fc.nat(40),
      (seed, flips, cut, grow) => {
        const data = seed.data.slice();
        for (const [at, v] of flips) if (data.length) data[at % data.length] = v;
        const caplen = data.length ? cut % (data.length + 1) : 0;
        check(data, seed.linkType, caplen, data.length + grow);
      },
    ),
    { numRuns: 4000 },
  );
});

test('every fixture frame cut at every length is handled (truncated, never a bug)', { timeout: 120_000 }, () => {
  for (const seed of SEEDS) {
    for (let caplen = 0; caplen <= seed.data.length; caplen++) check(seed.data, seed.linkType, caplen, seed.data.length);
  }
});
