/**
 * The linter decodes well-formed tunnelled data frames and PBUs/PBAs with the session
 * correlator's fast path instead of the full dissectors (src/sessions/fastpath.ts, fastsig.ts).
 * That must not change a single finding: every built-in scenario, every named fault of the
 * generator (each rule's trigger included), a mix of faults, other link types and every capture
 * in the repository are linted both ways and the reports must be identical.
 */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { readdirSync } from 'node:fs';
import { join } from 'node:path';
import { capture, TMP } from './helpers.js';
import { FAULTS } from '../../src/generate/faults.js';
import { generateCapture, listScenarios, loadScenario } from '../../src/generate/index.js';
import { lintCapture } from '../../src/lint/run.js';
import { resolvePolicy } from '../../src/lint/config.js';
import { FIXTURES, SAMPLES } from '../helpers/cli.js';

const policy = resolvePolicy({ noConfig: true });

async function same(path: string): Promise<void> {
  const a = await lintCapture(path, { policy, fastPath: true });
  const b = await lintCapture(path, { policy, fastPath: false });
  assert.equal(a.frames, b.frames);
  assert.deepEqual(a.findings, b.findings, path);
  assert.deepEqual(a.dropped, b.dropped, path);
  assert.deepEqual(a.warnings, b.warnings, path);
}

test('findings are the same with and without the fast path (scenarios and every fault)', async () => {
  const caps: string[] = [];
  for (const s of listScenarios()) caps.push(await capture(s.name));
  for (const f of FAULTS) caps.push(await capture(f.scenario, [f.name]));
  caps.push(await capture('mixed', ['gre-reserved0', 'tlv-nh-ipv4', 'wrong-dl-key']));
  caps.push(await capture('initial-attach', ['grekey-reserved', 'mh-checksum-bad', 'padn-nonzero', 'wrong-ul-key']));
  for (const path of caps) await same(path);
});

test('findings are the same with and without the fast path (other link types, repository captures)', async () => {
  for (const link of ['raw', 'sll'] as const) {
    for (const s of ['mixed', 'ipv4-udp-tlv', 'status-3']) {
      const path = join(TMP, `${s}.${link}.pcap`);
      await generateCapture(loadScenario(s), path, { link });
      await same(path);
    }
  }
  for (const f of readdirSync(SAMPLES)) if (f.endsWith('.pcap')) await same(join(SAMPLES, f));
  for (const f of ['mip6/varied.pcap', 'output/varied.pcap', 'output/varied.pcapng']) await same(join(FIXTURES, f));
});
