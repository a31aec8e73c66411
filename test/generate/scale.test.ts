/**
 * Scale: --sessions clones the scenario's mobile nodes with their own identities, prefixes and
 * keys; --packets writes exactly that many frames; --duration stretches the timeline; templates
 * shared between sessions give exactly the bytes that per-frame builds give; the output is
 * streamed (memory does not grow with the number of frames).
 */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { statSync } from 'node:fs';
import { join } from 'node:path';
import { spawnSync } from 'node:child_process';
import { listScenarios, loadScenario, runGenerator, generateCapture } from '../../src/generate/index.js';
import type { GenerateOptions } from '../../src/generate/engine.js';
import { BIN, tempDir } from '../helpers/cli.js';
import { dissect, LINK, pcapFrames } from './helpers.js';

async function frames(name: string, opts: GenerateOptions): Promise<{ data: Buffer; ts: number }[]> {
  const out: { data: Buffer; ts: number }[] = [];
  await runGenerator(loadScenario(name), { write: (d, o, n, _l, s, ns) => (out.push({ data: Buffer.from(d.subarray(o, o + n)), ts: s * 1e9 + ns }), true), drain: async () => {} }, opts);
  return out;
}

test('shared templates give the same bytes as building every frame (all scenarios, scaled, all links)', async () => {
  for (const s of listScenarios()) {
    for (const link of ['ethernet', 'sll', 'raw'] as const) {
      const opts: GenerateOptions = { sessions: 9, link, seed: 3 };
      const a = await frames(s.name, opts);
      const b = await frames(s.name, { ...opts, shareTemplates: false });
      assert.equal(a.length, b.length, `${s.name}/${link}`);
      a.forEach((x, i) => assert.ok(x.data.equals(b[i]!.data), `${s.name}/${link}: frame ${i + 1} differs`));
    }
  }
});

test('--sessions: distinct identities, prefixes and keys; frames in time order', async () => {
  const f = await frames('initial-attach', { sessions: 40 });
  const ids = new Set<string>();
  const dl = new Set<string>();
  const ul = new Set<string>();
  const hnps = new Set<string>();
  let last = 0;
  for (const { data, ts } of f) {
    assert.ok(ts >= last, 'time order');
    last = ts;
    const d = dissect(data, LINK.ethernet);
    if (d.get('mip6.mhtype') === '5') {
      ids.add(d.get('mip6.mnid.identifier')!);
      dl.add(d.get('mip6.gre_key')!);
      hnps.add(d.get('gretool.mip6.hnp.prefix')!);
    }
    if (d.get('mip6.mhtype') === '6') ul.add(d.get('mip6.gre_key')!);
  }
  assert.equal(ids.size, 40);
  assert.ok(ids.has('mn1@operator-a.example') && ids.has('mn1.39@operator-a.example'));
  assert.equal(dl.size, 40);
  assert.equal(ul.size, 40);
  assert.equal(hnps.size, 40);
  assert.equal(f.length, 40 * 32);
});

test('--packets writes exactly N frames; --duration stretches the timeline', async () => {
  const dir = tempDir();
  for (const [name, sessions, packets] of [['mixed', 30, 7777], ['status-163', 3, 1000], ['overlapping-ipv4', 10, 5001]] as const) {
    const out = join(dir, `${name}.pcap`);
    const st = await generateCapture(loadScenario(name), out, { sessions, packets });
    assert.equal(st.frames, packets);
    assert.equal(pcapFrames(out).frames.length, packets);
  }
  const short = await generateCapture(loadScenario('handoff'), join(dir, 'd1.pcap'), { duration: 5 });
  const long = await generateCapture(loadScenario('handoff'), join(dir, 'd2.pcap'), { duration: 50 });
  assert.ok(short.spanSeconds <= 5.01 && short.spanSeconds > 3, String(short.spanSeconds));
  assert.ok(long.spanSeconds <= 50.1 && long.spanSeconds > 30, String(long.spanSeconds));
  assert.ok(long.data > 8 * short.data, `${long.data} vs ${short.data}`);
});

test('scaled runs stream: 300k frames to disk with bounded memory', (t) => {
  if (!spawnSync('sh', ['-c', 'command -v /usr/bin/time']).stdout.length) return t.skip('/usr/bin/time not available');
  const dir = tempDir();
  const out = join(dir, 'big.pcap');
  const run = (packets: number) => {
    const r = spawnSync('/usr/bin/time', ['-f', '%M', process.execPath, BIN, 'generate', 'mixed', '--sessions', '2000', '--packets', String(packets), '-o', out, '-q'], { encoding: 'utf8' });
    assert.equal(r.status, 0, r.stderr);
    return Number(r.stderr.trim().split('\n').pop()) / 1024;
  };
  const small = run(50000);
  const big = run(300000);
  assert.ok(statSync(out).size > 300000 * 100);
  // six times the frames must not need anywhere near six times the memory
  assert.ok(big < small * 1.6 + 40, `peak RSS ${big.toFixed(0)} MB for 300k frames vs ${small.toFixed(0)} MB for 50k`);
});
