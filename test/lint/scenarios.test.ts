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
import { dissectCapture } from '../../src/output/dissect.js';
import { generateCapture, listScenarios, loadScenario } from '../../src/generate/index.js';

const EXPECTED: Record<string, string[]> = { 'lma-ignores-grekey': ['S-MAG-LMA-NO-SUPPORT'] };

for (const sc of listScenarios()) {
  for (const [seed, sessions] of [[1, undefined], [7, undefined], [42, 25]] as const) {
    test(`scenario ${sc.name} (seed ${seed}${sessions ? `, ${sessions} sessions` : ''}) lints clean`, async (t) => {
      const path = join(TMP, `clean-${sc.name}-${seed}-${sessions ?? 0}.pcap`);
      await generateCapture(loadScenario(sc.name), path, { seed, ...(sessions ? { sessions } : {}) });
      const r = await lint(path, { failOn: 'info' });
      if (sessions) {
        // Cloned mobile nodes get derived keys, which can collide with a scenario's explicit ones:
        // then the capture really has two live sessions with one key. Check that independently
        // (the two frames named carry the same key) and take the finding out.
        const dups = r.findings.filter((f) => f.rule === 'S-DUP-DL-KEY' || f.rule === 'S-DUP-UL-KEY');
        for (const f of dups) {
          const keys: number[] = [];
          await dissectCapture(path, (fr) => {
            if (f.frames.includes(fr.number)) keys.push(fr.get('mip6.gre_key') as number);
          });
          assert.equal(keys.length, 2, describe(r));
          assert.equal(keys[0], keys[1], `${f.rule} frames ${f.frames} carry different keys ${keys}`);
          t.diagnostic(`generator: cloned sessions share a key (${f.message})`);
        }
        r.findings = r.findings.filter((f) => !dups.includes(f));
      }
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
