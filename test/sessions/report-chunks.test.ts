/**
 * `sessionsJsonChunks` (what `gretool sessions --format json` writes, in pieces) is
 * `JSON.stringify(sessionsJson(c), null, 2)` + newline, byte for byte: on every sample capture,
 * on generated captures with unattributed traffic, unanswered PBUs and unsolicited PBAs, and
 * through the CLI (more than one 64 KiB write).
 */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { readdirSync } from 'node:fs';
import { join } from 'node:path';
import { correlateCapture } from '../../src/sessions/run.js';
import { sessionsJson, sessionsJsonChunks } from '../../src/sessions/report.js';
import { generateCapture, loadScenario } from '../../src/generate/index.js';
import { gretool, SAMPLES, tempDir } from '../helpers/cli.js';

const dir = tempDir('gretool-sessions-chunks-');

async function check(path: string): Promise<string> {
  const { correlator } = await correlateCapture(path);
  const pieces = [...sessionsJsonChunks(correlator)];
  const text = pieces.join('');
  assert.equal(text, JSON.stringify(sessionsJson(correlator), null, 2) + '\n', path);
  // in pieces: no piece holds two bindings
  for (const p of pieces) assert.ok((p.match(/"mnId": /g) ?? []).length <= 1, `${path}: a piece with several bindings`);
  return text;
}

test('sessionsJsonChunks is JSON.stringify(sessionsJson(c), null, 2), in pieces', async () => {
  const samples = readdirSync(SAMPLES).filter((f) => f.endsWith('.pcap'));
  assert.ok(samples.length >= 10);
  for (const f of samples) await check(join(SAMPLES, f));
  // unattributed traffic, unanswered PBUs and unsolicited PBAs
  const odd = join(dir, 'odd.pcap');
  await generateCapture(loadScenario('mixed'), odd, { sessions: 12, packets: 2000, seed: 5, faults: ['wrong-ul-key', 'pba-unmatched'] });
  const text = await check(odd);
  const j = JSON.parse(text) as { unattributed: unknown[]; unsolicitedPbas: unknown[] };
  assert.ok(j.unattributed.length > 0 && j.unsolicitedPbas.length > 0, 'the capture has unattributed traffic and unsolicited PBAs');
});

test('gretool sessions --format json writes the same bytes', async () => {
  const big = join(dir, 'big.pcap');
  await generateCapture(loadScenario('mixed'), big, { sessions: 300, packets: 6000, seed: 2 });
  const { correlator } = await correlateCapture(big);
  const want = JSON.stringify(sessionsJson(correlator), null, 2) + '\n';
  assert.ok(want.length > 1 << 17, 'more than one write');
  const r = gretool(['sessions', big, '--format', 'json']);
  assert.equal(r.status, 0, r.stderr);
  assert.equal(r.stdout, want);
});
