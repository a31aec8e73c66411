/**
 * samples/ holds what the generator makes now: one capture per built-in scenario and a README
 * table of them. Regenerate with `npm run samples` when a change to the generator is intended.
 */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { readFileSync, readdirSync, existsSync } from 'node:fs';
import { join } from 'node:path';
import { writeSamples } from '../../src/generate/samples.js';
import { listScenarios } from '../../src/generate/index.js';
import { SAMPLES, tempDir } from '../helpers/cli.js';

test('every committed sample is byte for byte what the generator makes now (npm run samples)', async () => {
  const dir = tempDir('gretool-samples-');
  const rows = await writeSamples(dir);
  const names = listScenarios().map((s) => `${s.name}.pcap`);
  assert.deepEqual(rows.map((r) => r.file).sort(), [...names].sort());
  for (const f of [...names, 'README.md']) {
    const committed = join(SAMPLES, f);
    assert.ok(existsSync(committed), `samples/${f} is missing: run npm run samples`);
    assert.ok(readFileSync(committed).equals(readFileSync(join(dir, f))), `samples/${f} differs from the generator's output: run npm run samples`);
  }
  const stale = readdirSync(SAMPLES).filter((f) => f !== 'README.md' && !names.includes(f));
  assert.deepEqual(stale, [], 'files in samples/ without a scenario');
});

test('the README table lists every sample with its frame count', () => {
  const readme = readFileSync(join(SAMPLES, 'README.md'), 'utf8');
  for (const s of listScenarios()) {
    const pcap = readFileSync(join(SAMPLES, `${s.name}.pcap`));
    let frames = 0;
    for (let o = 24; o < pcap.length; o += 16 + pcap.readUInt32LE(o + 8)) frames++;
    assert.match(readme, new RegExp(`\\| \\[${s.name}\\.pcap\\]\\(${s.name}\\.pcap\\) \\| .+ \\| ${frames} \\(`), s.name);
  }
});
