/**
 * Compliant captures give no findings: every built-in scenario of the generator, with several
 * seeds and scaled to many sessions (duplicate-key and attribution rules see many bindings),
 * lints without a single finding — except `lma-ignores-grekey`, whose purpose is to show an LMA
 * without RFC 5845 support: there exactly S-MAG-LMA-NO-SUPPORT (info) fires, on its first
 * PBU/PBA pair, and the MAG's correct reaction (no option in later PBUs) gives nothing else.
 */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { join } from 'node:path';
import { TMP, describe, frameFacts, lint } from './helpers.js';
import { generateCapture, listScenarios, loadScenario } from '../../src/generate/index.js';

const EXPECTED: Record<string, string[]> = { 'lma-ignores-grekey': ['S-MAG-LMA-NO-SUPPORT'] };

for (const sc of listScenarios()) {
  for (const [seed, sessions] of [[1, undefined], [7, undefined], [42, 25]] as const) {
    test(`scenario ${sc.name} (seed ${seed}${sessions ? `, ${sessions} sessions` : ''}) lints clean`, async () => {
      const path = join(TMP, `clean-${sc.name}-${seed}-${sessions ?? 0}.pcap`);
      await generateCapture(loadScenario(sc.name), path, { seed, ...(sessions ? { sessions } : {}) });
      const r = await lint(path, { failOn: 'info' });
      assert.ok(r.frames > 0);
      const expected = EXPECTED[sc.name] ?? [];
      assert.deepEqual([...new Set(r.findings.map((f) => f.rule))], expected, describe(r));
      for (const f of r.findings) {
        assert.equal(f.severity, 'info', describe(r));
        // on the first exchange of each MN's MAG/LMA pair: a PBU and its PBA
        const facts = await frameFacts(path);
        assert.deepEqual(f.frames.map((n) => facts[n - 1]!.mhType), [5, 6], describe(r));
      }
    });
  }
}
