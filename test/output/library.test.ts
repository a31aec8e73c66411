/** The library API (src/index.ts): dissecting captures, reading fields by name, trees, summaries. */
process.env.TZ = 'UTC';
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import {
  dissectCapture,
  dissectFrames,
  dissectPacket,
  fieldByName,
  GretoolError,
  glossary,
  type FrameSnapshot,
} from '../../src/index.js';
import { VARIED } from './util.js';
import { rel } from '../helpers/cli.js';

test('dissectCapture: a synchronous callback per frame, reused Frame, result counts', async () => {
  const seen: number[] = [];
  let first: unknown;
  const res = await dissectCapture(VARIED, (f) => {
    first ??= f;
    assert.equal(f, first, 'the Frame object is reused');
    seen.push(f.number);
  });
  assert.deepEqual(seen, [...Array(14).keys()].map((i) => i + 1));
  assert.equal(res.read, 14);
  assert.equal(res.displayed, 14);
  assert.equal(res.info.format, 'pcap');
});

test('fields by name: get / all / text / has, unknown names throw UNKNOWN_FIELD', async () => {
  await dissectCapture(
    VARIED,
    (f) => {
      assert.equal(f.get('frame.number'), 10);
      assert.equal(f.text('frame.len'), '106');
      assert.equal(f.get('frame.cap_len'), 64);
      assert.deepEqual(f.all('frame.number'), [10]);
      assert.deepEqual(f.texts('frame.time_relative'), ['3.111113000']);
      assert.equal(f.get('frame.time_relative'), 3.111113);
      assert.equal(f.has('frame.number'), true);
      assert.equal(f.capturedLength, 64);
      assert.equal(f.originalLength, 106);
      assert.equal(f.linkType, 1);
      assert.deepEqual(f.timestamp, { sec: 1700000003, nsec: 111113000 });
      assert.throws(() => f.get('no.such.field'), (e: unknown) => e instanceof GretoolError && e.code === 'UNKNOWN_FIELD');
    },
    { filter: 'frame.number == 10' },
  );
});

test('filters: text, predicate; count; stopping early', async () => {
  let n = 0;
  const r1 = await dissectCapture(VARIED, () => void n++, { filter: (f) => (f.get('frame.len') as number) > 100 });
  assert.equal(n, 4);
  assert.equal(r1.displayed, 4);
  const r2 = await dissectCapture(VARIED, () => undefined, { count: 5 });
  assert.equal(r2.read, 5);
  const got: number[] = [];
  await dissectCapture(VARIED, (f) => {
    got.push(f.number);
    return f.number < 3;
  });
  assert.deepEqual(got, [1, 2, 3]);
  await assert.rejects(dissectCapture(VARIED, () => undefined, { filter: 'frame.number ==' }), (e: unknown) => e instanceof GretoolError && e.code === 'FILTER');
});

test('tree(), summary(), summaryLine(), snapshot(), detailText(), hexDump()', async () => {
  let snap: FrameSnapshot | undefined;
  await dissectCapture(
    VARIED,
    (f) => {
      const tree = f.tree();
      assert.equal(tree[0]!.field, 'frame');
      const num = tree[0]!.children.find((c) => c.field === 'frame.number')!;
      assert.equal(num.value, 1);
      assert.equal(num.text, '1');
      assert.match(num.label, /Frame Number: 1/);
      const s = f.summary();
      assert.equal(s.number, 1);
      assert.equal(s.time, '0.000000');
      assert.equal(s.length, 134);
      assert.match(f.summaryLine(), /^ {4}1 {3}0\.000000 /);
      assert.match(f.detailText(), /Frame Number: 1/);
      assert.equal(f.hexDump().split('\n')[0], '0000  02 00 00 00 00 02 02 00 00 00 00 01 86 dd 60 00   ..............`.');
      snap = f.snapshot();
      return false;
    },
  );
  assert.equal(snap!.number, 1);
  assert.equal(snap!.tree[0]!.field, 'frame');
  assert.equal(JSON.parse(JSON.stringify(snap!)).summary.length, 134);
});

test('dissectFrames: async iteration over reused frames', async () => {
  const nums: number[] = [];
  for await (const f of dissectFrames(VARIED, { count: 4 })) nums.push(f.number);
  assert.deepEqual(nums, [1, 2, 3, 4]);
});

test('dissectPacket: one frame from bytes', () => {
  const bytes = readFileSync(VARIED).subarray(24 + 16, 24 + 16 + 134);
  const f = dissectPacket(new Uint8Array(bytes), { linkType: 1 });
  assert.equal(f.get('frame.len'), 134);
  assert.equal(f.bytes().length, 134);
});

test('a capture cut mid-record: frames first, then CAPTURE_TRUNCATED', async () => {
  const full = readFileSync(VARIED);
  const cut = full.subarray(0, full.length - 5);
  const nums: number[] = [];
  await assert.rejects(
    dissectCapture(new Uint8Array(cut), (f) => void nums.push(f.number)),
    (e: unknown) => e instanceof GretoolError && e.code === 'CAPTURE_TRUNCATED',
  );
  assert.equal(nums.length, 13);
});

test('registry re-exports', () => {
  assert.equal(fieldByName('frame.number')?.type, 'uint32');
  assert.ok(glossary('frame').some((e) => e.abbrev === 'frame.len'));
});

test('session and lint re-exports: correlate, report, lint, generated fields as post-dissectors', async () => {
  const lib = await import('../../src/index.js');
  const path = rel('samples', 'handoff.pcap');
  const { correlator } = await lib.correlateCapture(path);
  assert.ok(correlator instanceof lib.Correlator);
  const j = lib.sessionsJson(correlator);
  assert.equal(j.schema, lib.SESSIONS_SCHEMA_ID);
  assert.equal(j.bindings.length, 1);
  assert.equal(j.bindings[0]!.uplinkKey, 0x2001);
  assert.match(lib.sessionsCsv(j), /mn1@operator-a\.example/);
  const report = await lib.lintCaptures([path], { policy: lib.resolvePolicy({ noConfig: true }) });
  assert.equal(report.summary.failed, false);
  assert.equal((lib.lintJson(report) as { summary: { findings: number } }).summary.findings, 0);
  assert.ok(lib.RULES.length > 0 && lib.ruleById(lib.RULES[0]!.id) === lib.RULES[0]);
  // the generated fields of `gretool dissect -2`, through the library
  const hook = lib.createSessionHook({ twoPass: true });
  const opts = { postDissectors: [hook.postDissector, lib.lintFieldsPostDissector()] };
  await lib.dissectCapture(path, () => undefined, { postDissectors: [hook.postDissector] });
  hook.beginSecondPass();
  const pairs: [number, number | undefined][] = [];
  await lib.dissectCapture(path, (f) => void pairs.push([f.number, f.get('gretool.pair.frame') as number | undefined]), { ...opts, filter: 'mipv6' });
  assert.deepEqual(pairs, [[1, 2], [2, 1], [33, 34], [34, 33]]);
});

test('dissector bugs: recorded on the frame, rethrown with debug', async () => {
  const { table } = await import('../../src/engine/dispatch.js');
  const { defineField } = await import('../../src/engine/fields.js');
  const proto = defineField({ abbrev: 'libtest_bug', name: 'Buggy Test Protocol', type: 'protocol', wireshark: false });
  table('link.type', 65536).add(147, {
    proto,
    name: 'libtest_bug',
    dissect() {
      throw new Error('boom');
    },
  });
  const f = dissectPacket(new Uint8Array([1, 2, 3]), { linkType: 147 });
  assert.ok(f.experts().some((e) => e.severity === 'error' && /boom/.test(e.message)), JSON.stringify(f.experts()));
  assert.equal(f.malformed, true);
  assert.throws(() => dissectPacket(new Uint8Array([1, 2, 3]), { linkType: 147, debug: true }), /boom/);
});
