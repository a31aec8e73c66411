/**
 * Findings dropped past the per-rule limit (src/lint/engine.ts, FINDING_CAP): `dropped` counts
 * distinct findings (what `findings` would hold in addition without the limit), not the
 * occurrences of findings already dropped. The captures come from the generator with a scenario
 * whose numbers are known in advance: initial-attach cloned to SESSIONS mobile nodes, each with
 * its own uplink key and dozens of uplink GRE packets, and one fault; the limit is lowered with
 * the Linter's `findingCap` so that the test stays small. The expected counts are derived from
 * the scenario (and checked against the frames by dissection), never from the linter's output.
 */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { join } from 'node:path';
import { frameFacts, TMP } from './helpers.js';
import { dissectCapture } from '../../src/output/dissect.js';
import { generateCapture, loadScenario } from '../../src/generate/index.js';
import { buildReport, lintCapture, lintCaptures, type CaptureResult } from '../../src/lint/run.js';
import { resolvePolicy } from '../../src/lint/config.js';
import { lintJson, lintJsonChunks } from '../../src/lint/format/json.js';
import { lintJunit } from '../../src/lint/format/junit.js';
import { lintSarif } from '../../src/lint/format/sarif.js';
import { lintText, lintTextChunks } from '../../src/lint/format/text.js';
import { Linter } from '../../src/lint/engine.js';
import { makeChalk } from '../../src/cli/color.js';
import { referenceText } from './reference-formats.js';

const SESSIONS = 30;
const CAP = 10;
const LMA = '2001:db8:100::1';
const policy = resolvePolicy({ noConfig: true });
const plain = makeChalk({ enabled: false, level: 0 });

const made = new Map<string, Promise<string>>();
/** initial-attach with SESSIONS mobile nodes, 3000 frames (about 50 uplink GRE packets each), one fault. */
function faulty(fault: string): Promise<string> {
  let p = made.get(fault);
  if (!p) {
    const path = join(TMP, `dropped-${fault}.pcap`);
    p = generateCapture(loadScenario('initial-attach'), path, { sessions: SESSIONS, packets: 3000, faults: [fault] }).then(() => path);
    made.set(fault, p);
  }
  return p;
}

/** Per GRE key of the uplink frames (MAG → LMA), read back by dissection: how many frames carry it. */
async function uplinkKeys(path: string, where: (version: number) => boolean = () => true): Promise<Map<number, number>> {
  const keys = new Map<number, number>();
  await dissectCapture(
    path,
    (f) => {
      const key = f.get('gre.key');
      if (typeof key !== 'number' || f.text('ipv6.dst') !== LMA || !where(f.get('gre.flags.version') as number)) return;
      keys.set(key, (keys.get(key) ?? 0) + 1);
    },
    { filter: 'gre' },
  );
  return keys;
}

const lint = (path: string, findingCap?: number, droppedKeyCap?: number, fastPath?: boolean): Promise<CaptureResult> =>
  lintCapture(path, { policy, findingCap, droppedKeyCap, fastPath });

test('the scenario: every session sends its own wrong uplink key in many frames', async () => {
  const keys = await uplinkKeys(await faulty('wrong-ul-key'));
  // one wrong key per session (its uplink key + 1), on every uplink GRE packet of it
  assert.equal(keys.size, SESSIONS);
  for (const [k, n] of keys) assert.ok(n >= 20, `key ${k}: ${n} frames`);
});

test('a data-plane rule past the limit: dropped counts distinct findings (sessions), not their frames', async () => {
  const path = await faulty('wrong-ul-key');
  const r = await lint(path, CAP);
  const rule = 'S-MAG-WRONG-UL-KEY';
  assert.equal(r.findings.filter((f) => f.rule === rule).length, CAP);
  // one finding per session (session, wrong key): SESSIONS − CAP not kept, whatever their occurrences
  assert.deepEqual(r.dropped, { [rule]: SESSIONS - CAP });
  assert.deepEqual(r.droppedAtLeast, []);
  // the kept findings recur (so that counting occurrences would give far more)
  for (const f of r.findings) assert.ok(f.occurrences >= 20, `${f.session}: ${f.occurrences}`);
  // without the limit: exactly the kept and the dropped ones
  const all = await lint(path);
  assert.equal(all.findings.length, SESSIONS);
  assert.deepEqual(all.dropped, {});
  assert.deepEqual(
    r.findings,
    all.findings.slice(0, CAP),
    'the first CAP findings are kept, unchanged',
  );
  // the fast path changes nothing here either
  const slow = await lint(path, CAP, undefined, false);
  assert.deepEqual(slow.dropped, r.dropped);
});

test('a packet rule past the limit: one dropped finding per (expert item, session, severity)', async () => {
  const path = await faulty('gre-version');
  const keys = await uplinkKeys(path, (v) => v === 1);
  assert.equal(keys.size, SESSIONS, 'every session sends GRE version 1 on its uplink');
  const r = await lint(path, CAP);
  assert.equal(r.findings.length, CAP);
  assert.deepEqual(r.dropped, { 'G-VERSION-NONZERO': SESSIONS - CAP });
  const all = await lint(path);
  assert.equal(all.findings.length, SESSIONS);
});

test('reported (unkeyed) findings past the limit: each report is one finding', async () => {
  const path = await faulty('pba-unmatched');
  // every session: its PBU has no PBA, and its PBA (Sequence # one above) no PBU: two findings
  const facts = await frameFacts(path);
  assert.equal(facts.filter((f) => f.mhType === 5).length, SESSIONS);
  assert.equal(facts.filter((f) => f.mhType === 6).length, SESSIONS);
  const r = await lint(path, CAP);
  assert.equal(r.findings.filter((f) => f.rule === 'S-PBA-UNMATCHED').length, CAP);
  assert.equal(r.dropped['S-PBA-UNMATCHED'], 2 * SESSIONS - CAP);
});

test('a limit of 0 drops every finding; counts stay per distinct finding', async () => {
  const r = await lint(await faulty('wrong-ul-key'), 0);
  assert.deepEqual(r.findings, []);
  assert.deepEqual(r.dropped, { 'S-MAG-WRONG-UL-KEY': SESSIONS });
});

test('memory bound: past droppedKeyCap remembered keys the count is a lower bound, and says so', async () => {
  const path = await faulty('wrong-ul-key');
  const r = await lint(path, CAP, 5);
  // 5 remembered, the 6th surely new; the other 14 cannot be told from those already counted
  assert.deepEqual(r.dropped, { 'S-MAG-WRONG-UL-KEY': 6 });
  assert.deepEqual(r.droppedAtLeast, ['S-MAG-WRONG-UL-KEY']);
  // exactly at the bound: still exact
  const exact = await lint(path, CAP, SESSIONS - CAP);
  assert.deepEqual(exact.dropped, { 'S-MAG-WRONG-UL-KEY': SESSIONS - CAP });
  assert.deepEqual(exact.droppedAtLeast, []);
  const report = buildReport([r], policy);
  assert.equal(report.summary.dropped, 6);
  assert.equal(report.summary.droppedAtLeast, true);
  const text = lintText(report, plain);
  assert.match(text, /^ {2}… and at least 6 more findings of S-MAG-WRONG-UL-KEY not kept \(limit per rule and capture reached\)$/m);
  assert.match(text, /^At least 6 further findings not kept \(/m);
  assert.equal(text, referenceText(report, plain));
});

test('the reports: JSON, text, SARIF summary; several captures add up', async () => {
  const a = await lint(await faulty('wrong-ul-key'), CAP);
  const b = await lint(await faulty('gre-version'), CAP);
  const report = buildReport([a, b], policy);
  assert.equal(report.summary.dropped, 2 * (SESSIONS - CAP));
  assert.equal(report.summary.droppedAtLeast, false);
  const j = lintJson(report) as {
    captures: { dropped: Record<string, number>; droppedAtLeast: string[] }[];
    summary: { dropped: number; droppedAtLeast: boolean };
  };
  assert.deepEqual(
    j.captures.map((c) => [c.dropped, c.droppedAtLeast]),
    [
      [{ 'S-MAG-WRONG-UL-KEY': SESSIONS - CAP }, []],
      [{ 'G-VERSION-NONZERO': SESSIONS - CAP }, []],
    ],
  );
  assert.equal(j.summary.dropped, 2 * (SESSIONS - CAP));
  assert.equal(j.summary.droppedAtLeast, false);
  assert.equal([...lintJsonChunks(report)].join(''), JSON.stringify(j, null, 2) + '\n');
  const sarif = lintSarif(report) as { runs: { properties: { summary: { dropped: number } } }[] };
  assert.equal(sarif.runs[0]!.properties.summary.dropped, 2 * (SESSIONS - CAP));
  // JUnit: the count follows the rule's kept findings, in its <failure> or <system-out>
  const junit = lintJunit(report);
  const n0 = SESSIONS - CAP;
  const suites = junit.split('<testsuite ').slice(1);
  assert.equal(suites.length, 2);
  for (const [i, rule] of ['S-MAG-WRONG-UL-KEY', 'G-VERSION-NONZERO'].entries()) {
    const suite = suites[i]!;
    const at = suite.indexOf(`<testcase name="${rule}"`);
    const tc = suite.slice(at, suite.indexOf('</testcase>', at));
    assert.match(tc, new RegExp(`\\n… and ${n0} more findings of ${rule} not kept \\(limit per rule and capture reached\\)(</system-out>|\\n\\n)`), tc);
  }

  const text = lintText(report, plain);
  const n = SESSIONS - CAP;
  assert.match(text, new RegExp(`^ {2}… and ${n} more findings of S-MAG-WRONG-UL-KEY not kept \\(limit per rule and capture reached\\)$`, 'm'));
  assert.match(text, new RegExp(`^ {2}… and ${n} more findings of G-VERSION-NONZERO not kept`, 'm'));
  assert.match(text, new RegExp(`^${2 * n} further findings not kept \\(limit per rule and capture reached; a finding counts once, however many frames it recurs in\\)\\.$`, 'm'));
  // fewer findings shown than kept: both counts on one line
  const short = lintText(report, plain, 3);
  assert.match(short, new RegExp(`^ {2}… and ${CAP - 3} more findings of S-MAG-WRONG-UL-KEY \\(--format json lists them\\) and ${n} more not kept \\(limit per rule and capture reached\\)$`, 'm'));
  for (const perRule of [undefined, 3]) assert.equal([...lintTextChunks(report, plain, perRule)].join(''), referenceText(report, plain, perRule));
  // the same limit through lintCaptures, in worker threads and in this one
  const paths = [await faulty('wrong-ul-key'), await faulty('gre-version')];
  for (const jobs of [1, 2]) {
    const r = await lintCaptures(paths, { policy, findingCap: CAP, jobs });
    assert.equal(r.summary.dropped, 2 * n, `jobs ${jobs}`);
    assert.deepEqual(
      r.captures.map((c) => c.dropped),
      [{ 'S-MAG-WRONG-UL-KEY': n }, { 'G-VERSION-NONZERO': n }],
    );
  }
});

test('Linter options: the limits must be non-negative integers', () => {
  assert.throws(() => new Linter({ policy, capture: 'x', findingCap: -1 }), RangeError);
  assert.throws(() => new Linter({ policy, capture: 'x', droppedKeyCap: 1.5 }), RangeError);
  assert.deepEqual(new Linter({ policy, capture: 'x' }).finish(), { capture: 'x', findings: [], dropped: {}, droppedAtLeast: [] });
});
