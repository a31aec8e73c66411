/**
 * Report formats. SARIF is validated against the official SARIF 2.1.0 JSON schema (the
 * sarif-2.1.0-rtm.5 schema shipped in the npm package @microsoft/jest-sarif, checked with
 * ajv-draft-04, as the schema is JSON Schema draft-04). No Debian or npm package ships the
 * de-facto Jenkins JUnit XSD (junit-10.xsd), so JUnit is parsed by Python's XML parser (well-
 * formedness) and checked structurally against that schema's content model: elements, their
 * order, required and allowed attributes, and counts that agree with the test cases.
 */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { createRequire } from 'node:module';
import AjvDraft04 from 'ajv-draft-04';
import { capture, TMP } from './helpers.js';
import { lintCaptures, type LintReport } from '../../src/lint/run.js';
import { resolvePolicy } from '../../src/lint/config.js';
import { lintJson } from '../../src/lint/format/json.js';
import { lintJunit } from '../../src/lint/format/junit.js';
import { lintSarif } from '../../src/lint/format/sarif.js';
import { lintText } from '../../src/lint/format/text.js';
import { RULES } from '../../src/lint/rules/index.js';
import { makeChalk } from '../../src/cli/color.js';
import { ROOT } from '../helpers/cli.js';

const require = createRequire(import.meta.url);
// a CommonJS module: under NodeNext its default import is module.exports, whose `default` is the class
const Ajv = AjvDraft04.default;

async function sampleReport(failOn: 'error' | 'warning' | 'info' = 'warning', extra: Parameters<typeof resolvePolicy>[0] = {}): Promise<LintReport> {
  const a = await capture('initial-attach', ['wrong-ul-key', 'grekey-reserved', 'bu-reserved-flags']);
  const b = await capture('status-2');
  const policy = resolvePolicy({ noConfig: true, cli: { failOn, disable: ['P-PADN-NONZERO'] }, ...extra });
  return lintCaptures([a, b, join(TMP, 'does-not-exist.pcap')], { policy });
}

test('json: findings with rule, severity, frames, session, message, spec; a summary', async () => {
  const report = await sampleReport();
  const j = JSON.parse(JSON.stringify(lintJson(report))) as Record<string, any>;
  assert.deepEqual(Object.keys(j), ['tool', 'captures', 'findings', 'summary']);
  assert.equal(j.captures.length, 3);
  assert.equal(j.captures[2].error.code, 'CAPTURE_OPEN');
  assert.ok(j.findings.length >= 3);
  for (const f of j.findings) {
    for (const k of ['rule', 'severity', 'frames', 'session', 'message', 'spec']) assert.ok(k in f, `finding lacks ${k}`);
    assert.ok(Array.isArray(f.frames) && f.frames.every((n: unknown) => Number.isInteger(n)));
    assert.ok(['error', 'warning', 'info'].includes(f.severity));
    assert.match(f.spec, /^RFC \d+/);
  }
  const rules = j.findings.map((f: { rule: string }) => f.rule);
  assert.deepEqual(rules, ['P-GREKEY-RESERVED-NONZERO', 'P-BU-RESERVED-FLAGS', 'S-MAG-WRONG-UL-KEY']);
  const s = j.summary;
  assert.equal(s.captures, 3);
  assert.equal(s.findings, 3);
  assert.deepEqual(s.bySeverity, { error: 1, warning: 1, info: 1 });
  assert.equal(s.failOn, 'warning');
  assert.equal(s.failing, 2);
  assert.equal(s.failed, true);
  assert.equal(s.inputErrors, 1);
  assert.equal(s.rulesEnabled, RULES.length - 1);
});

test('text: grouped by rule with frames, session and RFC section, then the summary and verdict', async () => {
  const report = await sampleReport();
  const t = lintText(report, makeChalk({ enabled: false, level: 0 }));
  assert.match(t, /^P-GREKEY-RESERVED-NONZERO {2}GRE Key option Reserved field is not zero {2}\[RFC 5845 §6\.1 \(N34\)\]$/m);
  assert.match(t, /^ {2}warning +.*initial-attach\+wrong-ul-key\+grekey-reserved\+bu-reserved-flags\.pcap: frame 1, session 1: GRE Key option Reserved is (0x8001|32769)/m);
  assert.match(t, /^ {2}error +.*: frames 3, 4, 5, .*session 1: uplink GRE key/m);
  assert.match(t, /3 captures, \d+ frames: 3 findings \(1 error, 1 warning, 1 info\) from 3 rules; 70 of 71 rules enabled\./);
  assert.match(t, /Verdict: FAIL: 2 findings at or above --fail-on warning\./);
  assert.match(t, /does-not-exist\.pcap/);
  assert.ok(!t.includes('\u001b['), 'no colour codes when colour is off');
});

test('sarif: valid against the SARIF 2.1.0 schema; rules with help; results by capture file and frame', async () => {
  const schemaPath = join(ROOT, 'node_modules', '@microsoft', 'jest-sarif', 'lib', 'schemas', 'sarif-2.1.0-rtm.5.json');
  const schema = JSON.parse(readFileSync(schemaPath, 'utf8'));
  // the rtm.5 schema has a regex that is not valid with the u flag; formats checked by hand below
  const ajv = new Ajv({ strict: false, allErrors: true, unicodeRegExp: false, validateFormats: false });
  const validate = ajv.compile(schema);
  const report = await sampleReport();
  const sarif = JSON.parse(JSON.stringify(lintSarif(report))) as Record<string, any>;
  const ok = validate(sarif);
  assert.ok(ok, JSON.stringify(validate.errors, null, 2));
  const run = sarif.runs[0];
  const rules = run.tool.driver.rules;
  assert.equal(rules.length, RULES.length);
  for (const r of rules) {
    assert.ok(r.help.text.length > 0 && r.help.markdown.includes('**Fix:**'));
    assert.match(r.helpUri, /^https:\/\/www\.rfc-editor\.org\/rfc\/rfc\d+/);
    assert.ok(['error', 'warning', 'note'].includes(r.defaultConfiguration.level));
  }
  assert.equal(rules.find((r: { id: string }) => r.id === 'P-PADN-NONZERO').defaultConfiguration.enabled, false);
  assert.equal(run.results.length, report.findings.length);
  for (const [i, res] of run.results.entries()) {
    const f = report.findings[i]!;
    assert.equal(rules[res.ruleIndex].id, res.ruleId);
    assert.equal(res.level, f.severity === 'info' ? 'note' : f.severity);
    const loc = res.locations[0];
    assert.equal(run.artifacts[loc.physicalLocation.artifactLocation.index].location.uri, loc.physicalLocation.artifactLocation.uri);
    assert.equal(loc.logicalLocations[0].name, `frame ${f.frames[0]}`);
    assert.deepEqual(res.properties.frames, f.frames);
    assert.equal((res.relatedLocations ?? []).length, Math.min(100, f.frames.length - 1));
    assert.ok(!/\s/.test(loc.physicalLocation.artifactLocation.uri), 'URI is percent-encoded');
  }
  assert.equal(run.invocations[0].executionSuccessful, false);
  assert.equal(run.invocations[0].toolExecutionNotifications.length, 1);

  // findings past the per-rule limit: a note per capture and rule, still valid SARIF
  const limited = await lintCaptures([await capture('initial-attach', ['wrong-ul-key', 'grekey-reserved', 'bu-reserved-flags'])], {
    policy: resolvePolicy({ noConfig: true }),
    findingCap: 0,
  });
  const dropped = Object.entries(limited.captures[0]!.dropped);
  assert.ok(dropped.length >= 3, JSON.stringify(limited.captures[0]!.dropped));
  const ls = JSON.parse(JSON.stringify(lintSarif(limited))) as Record<string, any>;
  assert.ok(validate(ls), JSON.stringify(validate.errors, null, 2));
  const notes = ls.runs[0].invocations[0].toolExecutionNotifications as { level: string; message: { text: string }; descriptor: { id: string }; associatedRule: { id: string } }[];
  assert.deepEqual(
    notes.map((n) => [n.level, n.descriptor.id, n.associatedRule.id, n.message.text]),
    dropped.map(([rule, n]) => ['note', 'FINDINGS_NOT_KEPT', rule, `${limited.captures[0]!.capture}: … and ${n} more finding${n === 1 ? '' : 's'} of ${rule} not kept (limit per rule and capture reached)`]),
  );
  assert.equal(ls.runs[0].results.length, 0);
});

// ---------------------------------------------------------------- JUnit

interface X {
  tag: string;
  attrib: Record<string, string>;
  text: string;
  children: X[];
}

function parseXml(xml: string): X {
  const py = `
import sys, json, xml.etree.ElementTree as ET
def conv(e):
    return {"tag": e.tag, "attrib": dict(e.attrib), "text": e.text or "", "children": [conv(c) for c in e]}
print(json.dumps(conv(ET.fromstring(sys.stdin.buffer.read()))))
`;
  const r = spawnSync('python3', ['-c', py], { input: xml, maxBuffer: 1 << 28 });
  assert.equal(r.status, 0, `not well-formed XML: ${r.stderr}`);
  return JSON.parse(r.stdout.toString()) as X;
}

/** Content model of the de-facto Jenkins JUnit schema (junit-10.xsd). */
const MODEL: Record<string, { required: string[]; optional: string[]; children: string[]; order?: string[] }> = {
  testsuites: { required: [], optional: ['name', 'time', 'tests', 'failures', 'disabled', 'errors'], children: ['testsuite'] },
  testsuite: {
    required: ['name', 'tests'],
    optional: ['failures', 'errors', 'time', 'disabled', 'skipped', 'timestamp', 'hostname', 'id', 'package'],
    children: ['properties', 'testcase', 'system-out', 'system-err'],
    order: ['properties', 'testcase', 'system-out', 'system-err'],
  },
  properties: { required: [], optional: [], children: ['property'] },
  property: { required: ['name', 'value'], optional: [], children: [] },
  testcase: {
    required: ['name'],
    optional: ['assertions', 'time', 'classname', 'status'],
    children: ['skipped', 'error', 'failure', 'system-out', 'system-err'],
    order: ['skipped', 'error', 'failure', 'system-out', 'system-err'],
  },
  skipped: { required: [], optional: ['message'], children: [] },
  error: { required: [], optional: ['message', 'type'], children: [] },
  failure: { required: [], optional: ['message', 'type'], children: [] },
  'system-out': { required: [], optional: [], children: [] },
  'system-err': { required: [], optional: [], children: [] },
};

function checkJunit(e: X, path = e.tag): void {
  const m = MODEL[e.tag];
  assert.ok(m, `${path}: element <${e.tag}> is not in the JUnit schema`);
  for (const a of m.required) assert.ok(a in e.attrib, `${path}: missing attribute ${a}`);
  for (const a of Object.keys(e.attrib)) assert.ok(m.required.includes(a) || m.optional.includes(a), `${path}: attribute ${a} not allowed`);
  for (const a of ['tests', 'failures', 'errors', 'skipped', 'disabled']) if (a in e.attrib) assert.match(e.attrib[a]!, /^\d+$/, `${path}@${a}`);
  if ('time' in e.attrib) assert.match(e.attrib.time!, /^\d+(\.\d+)?$/, `${path}@time`);
  if ('timestamp' in e.attrib) assert.match(e.attrib.timestamp!, /^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d$/, `${path}@timestamp`);
  let last = -1;
  for (const c of e.children) {
    assert.ok(m.children.includes(c.tag), `${path}: <${c.tag}> not allowed in <${e.tag}>`);
    if (m.order) {
      const i = m.order.indexOf(c.tag);
      assert.ok(i >= last, `${path}: <${c.tag}> out of order`);
      last = i;
    }
    checkJunit(c, `${path}/${c.tag}`);
  }
  if (e.tag === 'testsuite') {
    const cases = e.children.filter((c) => c.tag === 'testcase');
    assert.equal(Number(e.attrib.tests), cases.length, `${path}@tests`);
    assert.equal(Number(e.attrib.failures ?? 0), cases.filter((c) => c.children.some((x) => x.tag === 'failure')).length, `${path}@failures`);
    assert.equal(Number(e.attrib.errors ?? 0), cases.filter((c) => c.children.some((x) => x.tag === 'error')).length, `${path}@errors`);
    assert.equal(Number(e.attrib.skipped ?? 0), cases.filter((c) => c.children.some((x) => x.tag === 'skipped')).length, `${path}@skipped`);
    assert.ok(e.children.filter((c) => c.tag === 'properties').length <= 1);
  }
  if (e.tag === 'testcase') {
    assert.ok(e.children.filter((c) => c.tag === 'skipped').length <= 1);
  }
}

test('junit: well-formed, the Jenkins JUnit schema\'s structure, one test case per rule and capture', async () => {
  const report = await sampleReport();
  const xml = lintJunit(report, new Date('2026-01-02T03:04:05Z'));
  assert.ok(xml.startsWith('<?xml version="1.0" encoding="UTF-8"?>\n<testsuites '));
  const root = parseXml(xml);
  assert.equal(root.tag, 'testsuites');
  checkJunit(root);
  const suites = root.children;
  assert.equal(suites.length, 3);
  const [a, b, missing] = suites;
  assert.equal(a!.children.filter((c) => c.tag === 'testcase').length, RULES.length);
  const failed = a!.children.filter((c) => c.children.some((x) => x.tag === 'failure')).map((c) => c.attrib.name);
  assert.deepEqual(failed, ['P-GREKEY-RESERVED-NONZERO', 'S-MAG-WRONG-UL-KEY']);
  const wrong = a!.children.find((c) => c.attrib.name === 'S-MAG-WRONG-UL-KEY')!.children.find((x) => x.tag === 'failure')!;
  assert.equal(wrong.attrib.type, 'error');
  assert.match(wrong.text, /\[error\] frames 3, 4, 5/);
  // info below --fail-on warning: passes, listed in system-out
  const info = a!.children.find((c) => c.attrib.name === 'P-BU-RESERVED-FLAGS')!;
  assert.deepEqual(info.children.map((c) => c.tag), ['system-out']);
  assert.match(info.children[0]!.text, /\[info\] frame 1/);
  // disabled: skipped
  assert.deepEqual(a!.children.find((c) => c.attrib.name === 'P-PADN-NONZERO')!.children.map((c) => c.tag), ['skipped']);
  assert.equal(b!.attrib.failures, '0');
  assert.equal(missing!.attrib.errors, '1');
  assert.equal(root.attrib.failures, '2');
  assert.equal(root.attrib.errors, '1');
});

test('junit and text: characters XML cannot carry are replaced, markup is escaped', async () => {
  const { lintJunit: j } = await import('../../src/lint/format/junit.js');
  const report = await sampleReport();
  report.findings[0]!.message = 'evil <tag> & "quotes" \u0001\u0008 end';
  report.captures[0]!.findings[0]!.message = report.findings[0]!.message;
  const root = parseXml(j(report));
  checkJunit(root);
  const f = root.children[0]!.children.find((c) => c.attrib.name === 'P-GREKEY-RESERVED-NONZERO')!.children[0]!;
  assert.match(f.text, /evil <tag> & "quotes" \uFFFD\uFFFD end/);
});

test('jest-sarif ships the schema this test relies on', () => {
  assert.ok(require.resolve('@microsoft/jest-sarif/package.json'));
});

test('text: a rule with many findings lists the first ones and counts the rest', async () => {
  const report = await sampleReport();
  const f = report.findings.find((x) => x.rule === 'S-MAG-WRONG-UL-KEY')!;
  for (let i = 0; i < 30; i++) report.findings.splice(report.findings.indexOf(f) + 1, 0, { ...f, session: 100 + i });
  const t = lintText(report, makeChalk({ enabled: false, level: 0 }), 25);
  assert.equal(t.split('\n').filter((l) => /^ {2}error /.test(l)).length, 25);
  assert.match(t, /^ {2}… and 6 more findings of S-MAG-WRONG-UL-KEY \(--format json lists every finding\)$/m);
});
