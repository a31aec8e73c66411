/**
 * Malformed is data: random and mutated Mobility Header bytes never throw out of the pipeline
 * and never end in a dissector bug (an exception other than truncation/malformation).
 */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import fc from 'fast-check';
import '../../src/dissectors/index.js';
import { Pipeline } from '../../src/engine/pipeline.js';
import { expertDef } from '../../src/engine/expert.js';
import { fieldText } from '../../src/output/format.js';
import { findFirst } from '../../src/engine/values.js';
import { MIP6_FIELDS as F } from '../../src/dissectors/mip6/index.js';
import { ipv4, ipv6, udp4, mh, buData, greKey } from '../fixtures/mip6/build.js';
import { variedFrames } from '../fixtures/mip6/frames.js';
import { installStubLayersIfMissing } from '../fixtures/mip6/stub.js';

installStubLayersIfMissing();
const pipe = new Pipeline();

function check(frame: Uint8Array, caplen = frame.length): void {
  const p = pipe.dissectBytes(frame, 0, caplen, frame.length, 101, 1, 0, 0);
  for (let k = 0; k < p.experts.count; k++) {
    const d = expertDef(p.experts.id[k]!);
    assert.notEqual(d.abbrev, '_ws.dissector_bug', `dissector bug: ${String(p.experts.args[2 * k + 1])}`);
  }
  // every node's value can be read and printed (lazy decoding stays in bounds)
  for (let n = 0; n < p.tree.count; n++) fieldText(p, n);
  // MH nodes never have a negative length nor reach past the captured bytes
  const root = findFirst(p, F.mipv6);
  if (root >= 0) {
    const t = p.tree;
    for (let n = root; n < t.count; n++) {
      assert.ok(t.len[n]! >= 0, `node ${n} has length ${t.len[n]}`);
      if (t.off[n]! >= 0) assert.ok(t.off[n]! + t.len[n]! <= caplen, `node ${n} [${t.off[n]}, +${t.len[n]}) past caplen ${caplen}`);
    }
  }
  p.cols.info.toString();
}

const mhBytes = fc.oneof(
  fc.uint8Array({ minLength: 0, maxLength: 96 }),
  // plausible headers: proto 59, small Header Len, any type, then random data
  fc.tuple(fc.integer({ min: 0, max: 12 }), fc.integer({ min: 0, max: 40 }), fc.uint8Array({ maxLength: 120 })).map(
    ([hl, type, rest]) => Uint8Array.from([59, hl, type, 0, 0, 0, ...rest]),
  ),
  // BU/BA with a random option area
  fc.tuple(fc.constantFrom(5, 6), fc.uint8Array({ minLength: 6, maxLength: 6 }), fc.uint8Array({ maxLength: 80 })).map(([type, fixed, opts]) => {
    const len = 12 + opts.length;
    return Uint8Array.from([59, Math.max(0, Math.ceil(len / 8) - 1), type, 0, 0, 0, ...fixed, ...opts]);
  }),
);

test('random MH bytes over IPv6 never throw', () => {
  fc.assert(
    fc.property(mhBytes, fc.nat(200), (m, cut) => {
      const f = ipv6(m);
      check(f, Math.min(f.length, 40 + cut));
    }),
    { numRuns: 1500 },
  );
});

test('random MH bytes over IPv4/UDP 5436 never throw', () => {
  fc.assert(fc.property(mhBytes, (m) => check(ipv4(17, udp4(m)))), { numRuns: 800 });
});

test('mutated valid frames never throw', () => {
  const seeds = variedFrames().map((f) => f.data);
  seeds.push(ipv6(mh(5, buData(1, 0x8200, 1), greKey(1))));
  fc.assert(
    fc.property(fc.nat(seeds.length - 1), fc.array(fc.tuple(fc.nat(200), fc.nat(255)), { maxLength: 6 }), fc.nat(300), (i, flips, cut) => {
      const f = Uint8Array.from(seeds[i]!);
      for (const [at, v] of flips) if (at >= 40 && at < f.length) f[at] = v; // keep the IPv6 header sane, mutate the MH
      check(f, Math.min(f.length, Math.max(1, cut)));
    }),
    { numRuns: 2000 },
  );
});
