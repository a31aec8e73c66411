/**
 * The linter decodes well-formed tunnelled data frames with the session correlator's fast path
 * instead of the full dissectors. That must not change a single finding: every built-in scenario
 * and every named fault of the generator (each data-plane rule's trigger included) is linted
 * both ways and the reports must be identical.
 */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { capture } from './helpers.js';
import { FAULTS } from '../../src/generate/faults.js';
import { listScenarios } from '../../src/generate/index.js';
import { lintCapture } from '../../src/lint/run.js';
import { resolvePolicy } from '../../src/lint/config.js';

const policy = resolvePolicy({ noConfig: true });
const strip = (fs: { rule: string; severity: string; frames: number[]; session: number | null; message: string; occurrences: number }[]) =>
  fs.map((f) => ({ rule: f.rule, severity: f.severity, frames: f.frames, session: f.session, message: f.message, occurrences: f.occurrences }));

test('findings are the same with and without the fast path (scenarios and every fault)', async () => {
  const caps: string[] = [];
  for (const s of listScenarios()) caps.push(await capture(s.name));
  for (const f of FAULTS) caps.push(await capture(f.scenario, [f.name]));
  caps.push(await capture('mixed', ['gre-reserved0', 'tlv-nh-ipv4', 'wrong-dl-key']));
  for (const path of caps) {
    const a = await lintCapture(path, { policy, fastPath: true });
    const b = await lintCapture(path, { policy, fastPath: false });
    assert.equal(a.frames, b.frames);
    assert.deepEqual(strip(a.findings), strip(b.findings), path);
  }
});
