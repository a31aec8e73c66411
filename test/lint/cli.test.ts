/**
 * `gretool lint` through the built CLI (run `npm run build` first): exit codes (0 clean, 1 at
 * or above --fail-on, 2 usage, 3 input), report formats on stdout and to a file, the policy
 * from options and from .gretool.json, stdin, several captures, and --list-rules.
 */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { readFileSync, writeFileSync, copyFileSync } from 'node:fs';
import { basename, dirname, join } from 'node:path';
import { capture } from './helpers.js';
import { ROOT, gretool, tempDir } from '../helpers/cli.js';
import { matchGolden } from '../helpers/golden.js';
import { RULES } from '../../src/lint/rules/index.js';

test('a compliant capture: no findings, exit 0', async () => {
  const r = gretool(['lint', await capture('handoff')]);
  assert.equal(r.status, 0, r.stderr);
  assert.match(r.stdout, /^No findings\.$/m);
  assert.match(r.stdout, /Verdict: pass: nothing at or above --fail-on error\./);
});

test('exit 1 only at or above --fail-on; --fail-on none never fails', async () => {
  const path = await capture('initial-attach', ['grekey-reserved']); // one warning
  assert.equal(gretool(['lint', path]).status, 0);
  assert.equal(gretool(['lint', path, '--fail-on', 'warning']).status, 1);
  assert.equal(gretool(['lint', path, '--fail-on', 'info']).status, 1);
  const err = await capture('initial-attach', ['wrong-ul-key']);
  assert.equal(gretool(['lint', err]).status, 1);
  assert.equal(gretool(['lint', err, '--fail-on', 'none']).status, 0);
  // severity override and disable change the verdict
  assert.equal(gretool(['lint', err, '--severity', 'S-MAG-WRONG-UL-KEY=warning']).status, 0);
  assert.equal(gretool(['lint', err, '--disable', 'S-MAG-*']).status, 0);
  assert.equal(gretool(['lint', path, '--severity', 'p-grekey-reserved-nonzero=error']).status, 1);
});

test('usage errors exit 2 with a clear message', async () => {
  const path = await capture('initial-attach');
  const cases: [string[], RegExp][] = [
    [['lint', path, '--disable', 'P-NO-SUCH-RULE'], /--disable: unknown rule id "P-NO-SUCH-RULE"/],
    [['lint', path, '--enable', 'Z-*'], /--enable: pattern "Z-\*" matches no rule id/],
    [['lint', path, '--severity', 'G-CKSUM-BAD=fatal'], /severity must be one of error, warning, info/],
    [['lint', path, '--fail-on', 'sometimes'], /invalid/i],
    [['lint'], /at least one capture file/],
    [['lint', path, '--format', 'markdown'], /--format markdown is for --list-rules/],
    [['lint', '--list-rules', '--format', 'sarif'], /--list-rules prints --format table, json or markdown/],
    [['lint', path, '--config', 'no-such.json'], /config file no-such\.json does not exist/],
  ];
  for (const [args, re] of cases) {
    const r = gretool(args);
    assert.equal(r.status, 2, `${args.join(' ')}: ${r.stderr}`);
    assert.match(r.stderr, re, args.join(' '));
  }
});

test('input errors exit 3; several captures give one combined report', async () => {
  const dir = tempDir();
  const missing = gretool(['lint', join(dir, 'nope.pcap')]);
  assert.equal(missing.status, 3);
  assert.match(missing.stderr, /nope\.pcap/);
  const notCap = join(dir, 'text.pcap');
  writeFileSync(notCap, 'this is not a capture file at all, just text\n');
  assert.equal(gretool(['lint', notCap]).status, 3);
  // a capture cut in the middle of a record: the frames before it are linted, then exit 3
  const whole = readFileSync(await capture('initial-attach', ['wrong-ul-key']));
  const cut = join(dir, 'cut.pcap');
  writeFileSync(cut, whole.subarray(0, whole.length - 10));
  const r = gretool(['lint', cut, '--format', 'json']);
  assert.equal(r.status, 3);
  const j = JSON.parse(r.stdout);
  assert.equal(j.captures[0].error.code, 'CAPTURE_TRUNCATED');
  assert.ok(j.findings.some((f: { rule: string }) => f.rule === 'S-MAG-WRONG-UL-KEY'));
  // several files, one of them broken: all are reported, exit 3
  const m = gretool(['lint', await capture('status-2'), await capture('initial-attach', ['grekey-reserved']), notCap, '--format', 'json']);
  assert.equal(m.status, 3);
  const mj = JSON.parse(m.stdout);
  assert.equal(mj.captures.length, 3);
  assert.equal(mj.summary.captures, 3);
  assert.deepEqual(mj.findings.map((f: { rule: string; capture: string }) => [f.rule, f.capture.endsWith('grekey-reserved.pcap')]), [['P-GREKEY-RESERVED-NONZERO', true]]);
});

test('stdin, --output, and the formats on the command line', async () => {
  const path = await capture('initial-attach', ['wrong-ul-key', 'gre-seq-repeat']);
  const viaStdin = gretool(['lint', '-', '--format', 'json'], { input: readFileSync(path) });
  assert.equal(viaStdin.status, 1, viaStdin.stderr);
  const j = JSON.parse(viaStdin.stdout);
  assert.equal(j.captures[0].file, '(stdin)');
  const direct = JSON.parse(gretool(['lint', path, '--format', 'json']).stdout);
  assert.deepEqual(j.findings.map((f: { rule: string; frames: number[] }) => [f.rule, f.frames]), direct.findings.map((f: { rule: string; frames: number[] }) => [f.rule, f.frames]));
  const dir = tempDir();
  for (const fmt of ['junit', 'sarif', 'json', 'text']) {
    const out = join(dir, `report.${fmt}`);
    const r = gretool(['lint', path, '--format', fmt, '-o', out]);
    assert.equal(r.status, 1);
    assert.equal(r.stdout, '');
    const text = readFileSync(out, 'utf8');
    if (fmt === 'junit') assert.match(text, /<testcase name="S-MAG-WRONG-UL-KEY"[^>]*>\s*<failure/);
    if (fmt === 'sarif') assert.equal(JSON.parse(text).version, '2.1.0');
    if (fmt === 'json') assert.ok(JSON.parse(text).findings.length >= 1);
    if (fmt === 'text') assert.match(text, /^S-MAG-WRONG-UL-KEY /m);
  }
  // no colour when not a terminal, colour when asked
  assert.ok(!gretool(['lint', path]).stdout.includes('\u001b['));
  assert.ok(gretool(['lint', path, '--color']).stdout.includes('\u001b['));
});

test('the policy from .gretool.json in the current directory, --config and --no-config', async () => {
  const dir = tempDir();
  const path = join(dir, 'c.pcap');
  copyFileSync(await capture('initial-attach', ['grekey-reserved', 'wrong-ul-key']), path);
  writeFileSync(join(dir, '.gretool.json'), JSON.stringify({ lint: { failOn: 'warning', disable: ['S-MAG-WRONG-UL-KEY'] } }));
  const r = gretool(['lint', 'c.pcap', '--format', 'json'], { cwd: dir });
  assert.equal(r.status, 1);
  const j = JSON.parse(r.stdout);
  assert.deepEqual(j.findings.map((f: { rule: string }) => f.rule), ['P-GREKEY-RESERVED-NONZERO']);
  assert.equal(j.summary.configFile, join(dir, '.gretool.json'));
  // the command line wins
  assert.equal(gretool(['lint', 'c.pcap', '--fail-on', 'error'], { cwd: dir }).status, 0);
  // --no-config: defaults
  const n = JSON.parse(gretool(['lint', 'c.pcap', '--no-config', '--format', 'json'], { cwd: dir }).stdout);
  assert.equal(n.findings.length, 2);
  writeFileSync(join(dir, 'lab.json'), JSON.stringify({ lint: { severity: { 'P-GREKEY-*': 'error' } } }));
  const l = gretool(['lint', 'c.pcap', '--config', 'lab.json', '--format', 'json'], { cwd: dir });
  assert.equal(JSON.parse(l.stdout).findings.find((f: { rule: string }) => f.rule === 'P-GREKEY-RESERVED-NONZERO').severity, 'error');
  writeFileSync(join(dir, '.gretool.json'), '{"lint": {"disable": ["NOT-A-RULE"]}}');
  const bad = gretool(['lint', 'c.pcap'], { cwd: dir });
  assert.equal(bad.status, 2);
  assert.match(bad.stderr, /\.gretool\.json: lint\.disable: unknown rule id "NOT-A-RULE"/);
});

test('--list-rules: table, json (with the policy applied) and markdown (docs/lint.md)', () => {
  const t = gretool(['lint', '--list-rules']);
  assert.equal(t.status, 0);
  for (const r of RULES) assert.ok(t.stdout.includes(r.id), r.id);
  const j = gretool(['lint', '--list-rules', '--format', 'json', '--disable', 'G-*', '--severity', 'S-DUP-DL-KEY=error']);
  const rows = JSON.parse(j.stdout) as { id: string; severity: string; effectiveSeverity: string; enabled: boolean; spec: string; summary: string; explanation: string; fix: string }[];
  assert.equal(rows.length, RULES.length);
  const dup = rows.find((r) => r.id === 'S-DUP-DL-KEY')!;
  assert.deepEqual([dup.severity, dup.effectiveSeverity, dup.enabled], ['warning', 'error', true]);
  assert.equal(rows.find((r) => r.id === 'G-CKSUM-BAD')!.enabled, false);
  for (const r of rows) assert.ok(r.spec && r.summary && r.explanation && r.fix, r.id);
  const md = gretool(['lint', '--list-rules', '--format', 'markdown']);
  assert.equal(md.stdout, readFileSync(join(ROOT, 'docs', 'lint.md'), 'utf8').replace(/\r\n/g, '\n'));
});

test('--jobs: captures linted in worker threads give the same report, in the order given', async () => {
  const files = [await capture('initial-attach', ['wrong-ul-key']), await capture('mixed'), await capture('status-3', ['udp-after-s3']), await capture('handoff')];
  const one = JSON.parse(gretool(['lint', ...files, '--format', 'json', '--no-config']).stdout);
  const par = gretool(['lint', ...files, '--format', 'json', '--no-config', '-j', '3']);
  assert.equal(par.status, 1, par.stderr);
  const three = JSON.parse(par.stdout);
  assert.deepEqual(three.captures.map((c: { file: string }) => c.file), files);
  assert.deepEqual(three.findings, one.findings);
  assert.deepEqual(three.summary, one.summary);
  const bad = gretool(['lint', files[0]!, '--jobs', '0']);
  assert.equal(bad.status, 2);
  assert.match(bad.stderr, /--jobs must be a positive integer/);
});

test('reports of a capture with faults (golden): text, json, junit, sarif results', async () => {
  const path = await capture('mixed', ['handoff-no-grekey', 'mh-checksum-bad', 'rereg-dl-key-changed', 'padn-nonzero']);
  // run beside the capture, so that reports name it without a directory of this machine
  const out = (format: string): string => {
    const r = gretool(['lint', basename(path), '--format', format, '--no-config'], { cwd: dirname(path) });
    assert.equal(r.status, 1, r.stderr); // errors among the findings
    return r.stdout;
  };
  matchGolden('lint', 'mixed-faults.txt', out('text'));
  matchGolden('lint', 'mixed-faults.json', out('json').replace(/"seconds": [0-9.e-]+/g, '"seconds": 0'));
  matchGolden(
    'lint',
    'mixed-faults.junit.xml',
    out('junit')
      .replace(/ time="[0-9.]+"/g, ' time="0"')
      .replace(/ timestamp="[^"]*"/g, ' timestamp="T"')
      .replace(/ hostname="[^"]*"/g, ' hostname="H"'),
  );
  // the rule metadata is the catalog's (tested against it elsewhere); what this capture adds
  const run = (JSON.parse(out('sarif')) as { runs: Record<string, unknown>[] }).runs[0]!;
  matchGolden('lint', 'mixed-faults.sarif-results.json', JSON.stringify({ invocations: run.invocations, artifacts: run.artifacts, results: run.results }, null, 2) + '\n');
});
