/**
 * Property tests: random and mutated GRE / TLV / PMIPv6-UDP frames never throw out of the
 * dissectors or the pipeline. Runs with debug on, so a dissector bug (any exception other
 * than the engine's TRUNCATED/MALFORMED) is rethrown and fails the property instead of being
 * recorded as an expert item.
 */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import fc from 'fast-check';
import { greDissector } from '../../src/dissectors/gre/index.js';
import { pmip6CntlDemux, pmip6DataDemux } from '../../src/dissectors/pmip6udp/index.js';
import { expertByName } from '../../src/engine/expert.js';
import { cat, eth, gre, greCorpus, innerUdp4, ipv4, ipv6, tlv, u16, udp } from '../fixtures/gre/frames.js';
import { dissectAlone, dissectFrame } from '../fixtures/gre/harness.js';

const BUG = expertByName('_ws.dissector_bug')!.id;
function noBug(p: { experts: { count: number; id: Int32Array } }): void {
  for (let i = 0; i < p.experts.count; i++) assert.notEqual(p.experts.id[i], BUG);
}

const protoArb = fc.oneof(fc.constantFrom(0x0800, 0x86dd, 0x880b, 0x8881, 0x88d2, 0x0000, 0x6558), fc.integer({ min: 0, max: 0xffff }));
const bytesArb = (max: number) => fc.uint8Array({ maxLength: max });

/** A GRE header with random flags and fields, followed by random or IP payload. */
const greArb = fc
  .record({
    flags: fc.integer({ min: 0, max: 0xffff }),
    proto: protoArb,
    key: fc.integer({ min: 0, max: 0xffffffff }),
    seq: fc.integer({ min: 0, max: 0xffffffff }),
    checksum: fc.option(fc.integer({ min: 0, max: 0xffff }), { nil: undefined }),
    routing: bytesArb(40),
    payload: fc.oneof(bytesArb(80), fc.constant(innerUdp4())),
  })
  .map((r) => gre({ flags: r.flags, proto: r.proto, key: r.key, seq: r.seq, checksum: r.checksum, routing: r.routing }, r.payload));

/** Applies byte flips and a cut to a frame. */
const mutate = (base: Uint8Array) =>
  fc.record({ flips: fc.array(fc.tuple(fc.nat(), fc.integer({ min: 0, max: 255 })), { maxLength: 6 }), cut: fc.nat() }).map(({ flips, cut }) => {
    const b = base.slice();
    for (const [i, v] of flips) if (b.length) b[i % b.length] = v;
    return { bytes: b, caplen: b.length ? cut % (b.length + 1) : 0 };
  });

test('random GRE headers never throw out of the GRE dissector', () => {
  fc.assert(
    fc.property(greArb, fc.nat(), (bytes, cut) => {
      const p = dissectAlone(greDissector, bytes, { caplen: cut % (bytes.length + 1) });
      noBug(p);
      const q = dissectAlone(greDissector, bytes, { end: cut % (bytes.length + 1) });
      noBug(q);
    }),
    { numRuns: 3000 },
  );
});

test('random UDP payloads never throw out of the 5436/5437 demultiplexer', () => {
  const payloadArb = fc.oneof(
    bytesArb(120),
    greArb,
    greArb.chain((g) => fc.record({ nh: fc.constantFrom(47, 4, 41, 0, 59, 255), res: fc.integer({ min: 0, max: 15 }), len: fc.option(fc.integer({ min: 0, max: 0xffff }), { nil: undefined }) }).map((t) => tlv(t.nh, g, { reserved: t.res, length: t.len }))),
  );
  fc.assert(
    fc.property(payloadArb, fc.boolean(), fc.nat(), (bytes, data, cut) => {
      const p = dissectAlone(data ? pmip6DataDemux : pmip6CntlDemux, bytes, { caplen: cut % (bytes.length + 1) });
      noBug(p);
    }),
    { numRuns: 3000 },
  );
});

test('mutated corpus frames (GRE over IPv4/IPv6, nested) never throw out of the pipeline', () => {
  const corpus = greCorpus().map((f) => f.data);
  fc.assert(
    fc.property(fc.constantFrom(...corpus).chain(mutate), ({ bytes, caplen }) => {
      const p = dissectFrame(bytes.subarray(0, caplen), 1, bytes.length);
      noBug(p);
    }),
    { numRuns: 3000 },
  );
});

test('random GRE / TLV frames over IPv4 and IPv6 and UDP 5436/5437 never throw out of the pipeline', () => {
  const frameArb = fc.oneof(
    greArb.map((g) => eth(ipv4(47, g))),
    greArb.map((g) => eth(ipv6(47, g), 0x86dd)),
    greArb.map((g) => eth(ipv4(17, udp(5437, 5437, tlv(47, g))))),
    greArb.map((g) => eth(ipv4(17, udp(5436, 5436, g)))),
    fc.record({ g: greArb, len: fc.integer({ min: 0, max: 0xffff }), port: fc.constantFrom(5436, 5437) }).map(({ g, len, port }) => eth(ipv4(17, cat(u16(port), u16(port), u16(len), u16(0), tlv(47, g))))),
    greArb.map((g) => eth(ipv4(47, gre({ flags: 0x2000, proto: 0x0800, key: 1 }, ipv4(47, gre({ flags: 0x2000, proto: 0x0800, key: 2 }, ipv4(47, g))))))),
  );
  fc.assert(
    fc.property(frameArb.chain(mutate), ({ bytes, caplen }) => {
      const p = dissectFrame(bytes.subarray(0, caplen), 1, bytes.length);
      noBug(p);
    }),
    { numRuns: 3000 },
  );
});
