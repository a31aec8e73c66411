/**
 * Generated fields for `gretool dissect`: gretool.session / gretool.direction on data,
 * gretool.pair.frame / gretool.pair.time on PBU/PBA, in one pass (backward references only)
 * and in two passes (forward references too), through the shared dissection loop.
 */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import '../../src/dissectors/index.js';
import { dissectCapture } from '../../src/output/dissect.js';
import { fieldByName } from '../../src/engine/fields.js';
import type { Packet } from '../../src/engine/packet.js';
import { findFirst, nodeNumber, nodeString } from '../../src/engine/values.js';
import { Pipeline } from '../../src/engine/pipeline.js';
import { attachSessions, createSessionHook } from '../../src/sessions/attach.js';
import { greData, inner, pcapBytes, signal6, type TimedFrame } from './frames.js';

const M = '2001:db8:1::1';
const L = '2001:db8:f::1';
const T0 = 1700000000;
const HNP = '2001:db8:aaaa:1::/64';
const MN = '2001:db8:aaaa:1::5';
const CN = '2001:db8:cc::1';

function capture(): TimedFrame[] {
  return [
    { time: T0, data: signal6(M, L, { type: 'pbu', seq: 1, lifetime: 100, mnId: 'a', hnp: [HNP], gre: 0x11 }) }, // 1
    { time: T0, nsec: 12500000, data: signal6(L, M, { type: 'pba', seq: 1, lifetime: 100, mnId: 'a', hnp: [HNP], gre: 0x22 }) }, // 2
    { time: T0 + 1, data: greData(M, L, inner(MN, CN), { key: 0x22 }) }, // 3 uplink
    { time: T0 + 2, data: greData(L, M, inner(CN, MN), { key: 0x11 }) }, // 4 downlink
    { time: T0 + 3, data: greData(L, M, inner(CN, MN), { key: 0x99 }) }, // 5 unknown key
    { time: T0 + 4, data: signal6(M, L, { type: 'pbu', seq: 2, lifetime: 100, mnId: 'a', hnp: [HNP], gre: 0x11, hi: 5 }) }, // 6 unanswered
    { time: T0 + 5, data: signal6(L, M, { type: 'pba', seq: 7, lifetime: 100, mnId: 'a', hnp: [HNP] }) }, // 7 unsolicited
  ];
}

const F = (n: string) => fieldByName(n)!.id;

interface Seen {
  session?: number;
  direction?: number;
  pairFrame?: number;
  pairTime?: number;
  kind?: string;
  unattributed?: string;
  unanswered?: number;
  unsolicited?: number;
}

function read(p: Packet): Seen {
  const out: Seen = {};
  const num = (name: string) => {
    const n = findFirst(p, F(name));
    return n < 0 ? undefined : nodeNumber(p, n);
  };
  const str = (name: string) => {
    const n = findFirst(p, F(name));
    return n < 0 ? undefined : nodeString(p, n);
  };
  const put = <K extends keyof Seen>(k: K, v: Seen[K] | undefined) => {
    if (v !== undefined) out[k] = v;
  };
  put('session', num('gretool.session'));
  put('direction', num('gretool.direction'));
  put('pairFrame', num('gretool.pair.frame'));
  put('pairTime', num('gretool.pair.time'));
  put('kind', str('gretool.session.kind'));
  put('unattributed', str('gretool.session.unattributed'));
  put('unanswered', num('gretool.pair.unanswered'));
  put('unsolicited', num('gretool.pair.unsolicited'));
  return out;
}

test('one pass: data binding and direction, PBA → PBU reference and response time', async () => {
  const hook = createSessionHook({ twoPass: false });
  const seen: Seen[] = [];
  await dissectCapture(pcapBytes(capture()), (fr) => void seen.push(read(fr.packet)), { postDissectors: [hook.postDissector] });
  hook.finish();
  assert.deepEqual(seen, [
    { session: 1, kind: 'initial' },
    { session: 1, kind: 'initial', pairFrame: 1, pairTime: 12500000 },
    { session: 1, direction: 1 },
    { session: 1, direction: 2 },
    { unattributed: 'unknown-key', direction: 2 },
    { session: 1, kind: 'lifetime-extension' },
    { unsolicited: 1 },
  ]);
  assert.equal(hook.correlator.unansweredPbus().length, 1);
});

test('two passes: the PBU also points at its PBA; an unanswered PBU is flagged', async () => {
  const bytes = pcapBytes(capture());
  const hook = createSessionHook({ twoPass: true });
  const pass1: Seen[] = [];
  await dissectCapture(bytes, (fr) => void pass1.push(read(fr.packet)), { postDissectors: [hook.postDissector] });
  assert.ok(pass1.every((s) => Object.keys(s).length === 0), 'pass 1 writes nothing');
  hook.beginSecondPass();
  assert.equal(hook.pass, 2);
  const seen: Seen[] = [];
  await dissectCapture(bytes, (fr) => void seen.push(read(fr.packet)), { postDissectors: [hook.postDissector] });
  const c = hook.finish();
  assert.deepEqual(seen, [
    { session: 1, kind: 'initial', pairFrame: 2, pairTime: 12500000 },
    { session: 1, kind: 'initial', pairFrame: 1, pairTime: 12500000 },
    { session: 1, direction: 1 },
    { session: 1, direction: 2 },
    { unattributed: 'unknown-key', direction: 2 },
    { session: 1, kind: 'lifetime-extension', unanswered: 1 },
    { unsolicited: 1 },
  ]);
  assert.equal(c.bindings().length, 1);
  assert.equal(c.bindings()[0]!.uplink.frames, 1);
  assert.throws(() => hook.beginSecondPass());
});

test('attachSessions adds the hook to a pipeline; the generated fields are filterable values', () => {
  const pipe = new Pipeline();
  const s = attachSessions(pipe, { twoPass: false });
  capture().forEach((f, i) => {
    const sec = Math.floor(f.time);
    const p = pipe.dissectBytes(f.data, 0, f.data.length, f.data.length, 1, i + 1, sec, Math.round((f.time - sec) * 1e9));
    if (i === 2) {
      const n = findFirst(p, F('gretool.direction'));
      assert.equal(nodeNumber(p, n), 1);
      assert.ok(findFirst(p, F('gretool')) >= 0, 'the gretool protocol node');
    }
  });
  assert.equal(s.finish().counts.dataFrames, 3);
  assert.throws(() => s.beginSecondPass());
});

test('the hook reads data frames with the fast path: same generated fields as through the Extractor', async () => {
  const { readdirSync } = await import('node:fs');
  const { join } = await import('node:path');
  const { ROOT } = await import('../helpers/cli.js');
  const { SessionTracker } = await import('../../src/sessions/attach.js');
  const samples = readdirSync(join(ROOT, 'samples')).filter((f) => f.endsWith('.pcap')).map((f) => join(ROOT, 'samples', f));
  assert.ok(samples.length >= 10);
  const sources: (string | Uint8Array)[] = [pcapBytes(capture()), ...samples];
  let dataFrames = 0;
  for (const src of sources) {
    const runs = [false, true].map(async (fastPath) => {
      const tracker = new SessionTracker({ fastPath });
      const seen: Seen[] = [];
      await dissectCapture(src, (fr) => void seen.push(read(fr.packet)), { postDissectors: [(p: Packet) => tracker.feed(p)] });
      tracker.correlator.finish();
      return { seen, counts: tracker.correlator.counts };
    });
    const [slow, fast] = await Promise.all(runs);
    assert.deepEqual(fast!.seen, slow!.seen, String(typeof src === 'string' ? src : 'synthetic'));
    assert.deepEqual(fast!.counts, slow!.counts);
    dataFrames += fast!.counts.dataFrames;
  }
  assert.ok(dataFrames > 100, `data frames compared: ${dataFrames}`);
});
