/**
 * Every named fault of the generator against the linter: the capture of the fault's scenario
 * with the fault applied must trigger every rule the fault names, the primary rule at its
 * catalog severity and on the right frames. The expected frames are computed without the
 * linter: the frames whose bytes differ from the fault-free capture of the same scenario (the
 * generator changes nothing else), and which frames are PBUs/PBAs, read back by dissection.
 *
 *   packet rules                 → exactly the changed frames
 *   pair/session rules on data   → exactly the changed (data) frames
 *   pair/session rules on a PBU/PBA → every changed frame, plus only other PBUs/PBAs (the pair
 *                                  partner, the earlier exchange the rule compares with)
 */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { capture, changedFrames, describe, frameFacts, framesOf, lint, ofRule } from './helpers.js';
import { FAULTS } from '../../src/generate/faults.js';
import { ruleById } from '../../src/lint/config.js';
import { SEVERITIES } from '../../src/lint/rule.js';

for (const fault of FAULTS) {
  test(`fault ${fault.name} → ${fault.rules.join(', ')}`, async () => {
    const faulty = await capture(fault.scenario, [fault.name]);
    const r = await lint(faulty);
    const report = describe(r);
    for (const id of fault.rules) assert.ok(ofRule(r, id).length > 0, `${id} did not fire:\n${report}`);

    const primary = fault.rules[0]!;
    const rule = ruleById(primary)!;
    const found = ofRule(r, primary);
    for (const f of found) {
      if (rule.variableSeverity) assert.ok(SEVERITIES.includes(f.severity), `${primary}: severity ${f.severity}`);
      else assert.equal(f.severity, rule.severity, `${primary}: severity`);
      assert.equal(f.spec.length > 0, true);
    }
    const U = framesOf(found);
    const facts = await frameFacts(faulty);
    const signalling = new Set(facts.filter((x) => x.mhType === 5 || x.mhType === 6).map((x) => x.number));

    if (fault.name === 'capture-started-late') {
      // the initial exchange is gone: the keyed data from the first frame on has no negotiation
      assert.equal(U[0], 1, report);
      for (const n of U) assert.ok(!signalling.has(n) && facts[n - 1]!.gre, `frame ${n} is not GRE data`);
      return;
    }
    const clean = await capture(fault.scenario);
    const D = await changedFrames(clean, faulty);
    assert.ok(D.length > 0, 'the fault changed no frame');
    if (fault.target === 'session') {
      // whole-session quirks (duplicate keys): the finding names the two registrations
      assert.ok(U.length > 0 && U.every((n) => signalling.has(n)), `${primary} frames ${U} are not PBU/PBA frames\n${report}`);
      assert.ok(U.some((n) => D.includes(n)), `${primary} frames ${U} do not include a changed frame (${D})`);
      return;
    }
    if (fault.name === 'gre-seq-repeat') {
      // the repeated number is in the first changed frame; later ones follow from it
      assert.equal(U[0], D[0], report);
      assert.ok(U.every((n) => D.includes(n)), report);
      return;
    }
    if (rule.detection === 'expert' || fault.target === 'uplink' || fault.target === 'downlink' || fault.target === 'data') {
      assert.deepEqual(U, D, `${primary}: frames\n${report}`);
    } else {
      for (const n of D) assert.ok(U.includes(n), `${primary}: changed frame ${n} not named (${U})\n${report}`);
      for (const n of U) assert.ok(D.includes(n) || signalling.has(n), `${primary}: frame ${n} is neither changed nor a PBU/PBA\n${report}`);
    }
  });
}
