/**
 * `--format junit`: one <testsuite> per capture, one <testcase> per enabled rule (name = rule
 * id, classname = "gretool.lint.<capture>"). A rule with findings at or above --fail-on fails
 * (one <failure>, type = the highest severity, every finding listed in the body); findings below
 * the threshold are listed in <system-out> of a passing test case; findings not kept (past the
 * per-rule limit) are counted after the rule's kept ones; disabled rules are <skipped/>. A capture that could not be read completely adds an <error> test case. The shape
 * follows the de-facto Jenkins JUnit schema (junit-10.xsd).
 */
import { hostname } from 'node:os';
import { RULES } from '../rules/index.js';
import { fails } from '../config.js';
import { SEVERITY_RANK, specText, type Severity } from '../rule.js';
import type { Finding } from '../engine.js';
import type { CaptureResult, LintReport } from '../run.js';
import { droppedLine, framesText, plural, xmlEscape as x } from './common.js';

function findingLine(f: Finding): string {
  return `[${f.severity}] ${framesText(f, 50)}${f.session !== null ? `, session ${f.session}` : ''}: ${f.message}`;
}

interface SuiteCounts {
  tests: number;
  failures: number;
  errors: number;
  skipped: number;
}

/** The findings of one capture by rule id (in their report order). */
function byRuleOf(c: CaptureResult): Map<string, Finding[]> {
  const byRule = new Map<string, Finding[]>();
  for (const f of c.findings) {
    let arr = byRule.get(f.rule);
    if (!arr) byRule.set(f.rule, (arr = []));
    arr.push(f);
  }
  return byRule;
}

/** A capture's test-suite counts (known before its test cases are written). */
function suiteCounts(report: LintReport, c: CaptureResult, byRule: Map<string, Finding[]>): SuiteCounts {
  const failOn = report.policy.failOn;
  let failures = 0;
  let skipped = 0;
  RULES.forEach((rule, i) => {
    if (!report.policy.enabled[i]) skipped++;
    else if ((byRule.get(rule.id) ?? []).some((f) => fails(f.severity, failOn))) failures++;
  });
  const errors = c.error ? 1 : 0;
  return { tests: RULES.length + errors, failures, errors, skipped };
}

/** One capture's <testsuite>, in pieces. */
function* suite(report: LintReport, c: CaptureResult, stamp: string, host: string): Generator<string> {
  const failOn = report.policy.failOn;
  const byRule = byRuleOf(c);
  const { tests, failures, errors, skipped } = suiteCounts(report, c, byRule);
  const cls = `gretool.lint.${c.capture.replace(/[^A-Za-z0-9_-]/g, '_')}`;
  const props = [
    ['capture', c.capture],
    ['frames', String(c.frames)],
    ['fail-on', failOn],
    ...(report.policy.configFile ? [['config', report.policy.configFile]] : []),
  ]
    .map(([k, v]) => `      <property name="${x(k!)}" value="${x(v!)}"/>`)
    .join('\n');
  yield `  <testsuite name="${x(c.capture)}" tests="${tests}" failures="${failures}" errors="${errors}" skipped="${skipped}" time="${c.seconds.toFixed(3)}" timestamp="${stamp}" hostname="${x(host)}">\n` +
    `    <properties>\n${props}\n    </properties>\n`;
  for (let i = 0; i < RULES.length; i++) {
    const rule = RULES[i]!;
    const head = `${i > 0 ? '\n' : ''}    <testcase name="${x(rule.id)}" classname="${x(cls)}" time="0">`;
    if (!report.policy.enabled[i]) {
      yield `${head}\n      <skipped message="rule disabled by the lint policy"/>\n    </testcase>`;
      continue;
    }
    const list = byRule.get(rule.id) ?? [];
    const failing = list.filter((f) => fails(f.severity, failOn));
    const below = list.filter((f) => !fails(f.severity, failOn));
    // findings past the per-rule limit: said after the kept ones of the same rule
    const dropped = droppedLine(rule.id, c.dropped[rule.id], c.droppedAtLeast.includes(rule.id));
    if (!failing.length && !below.length && dropped === null) {
      yield `${head}</testcase>`;
      continue;
    }
    yield head;
    // xmlEscape works character by character (a line feed is kept and is no surrogate), so the
    // body can be escaped line by line
    if (failing.length) {
      const top = failing.reduce<Severity>((m, f) => (SEVERITY_RANK[f.severity] > SEVERITY_RANK[m] ? f.severity : m), 'info');
      const msg = `${plural(failing.length, 'finding')} (${rule.summary}) [${specText(rule)}]`;
      yield `\n      <failure message="${x(msg)}" type="${top}">`;
      for (let j = 0; j < failing.length; j++) yield (j > 0 ? '\n' : '') + x(findingLine(failing[j]!));
      if (dropped !== null) yield x(`\n${dropped}`);
      yield `${x(`\n\n${rule.explanation}\nFix: ${rule.fix}`)}</failure>`;
    }
    if (below.length || (dropped !== null && !failing.length)) {
      yield '\n      <system-out>';
      for (let j = 0; j < below.length; j++) yield (j > 0 ? '\n' : '') + x(findingLine(below[j]!));
      if (dropped !== null && !failing.length) yield x(`${below.length ? '\n' : ''}${dropped}`);
      yield '</system-out>';
    }
    yield '\n    </testcase>';
  }
  if (c.error) {
    yield `\n    <testcase name="capture" classname="${x(cls)}" time="0">\n      <error message="${x(c.error.message)}" type="${x(c.error.code)}">${x(`${c.error.message}\n${c.frames} frames were read and linted before the error.`)}</error>\n    </testcase>`;
  }
  const out = c.warnings.length ? `\n    <system-out>${x(c.warnings.join('\n'))}</system-out>` : '';
  yield `${out}\n  </testsuite>`;
}

/** The JUnit XML report, in pieces (what `gretool lint --format junit` writes). */
export function* lintJunitChunks(report: LintReport, now = new Date()): Generator<string> {
  const stamp = now.toISOString().replace(/\.\d+Z$/, '');
  const host = hostname();
  // the totals come first: count every capture's suite before writing any
  let tTests = 0;
  let tFail = 0;
  let tErr = 0;
  let tSkip = 0;
  for (const c of report.captures) {
    const n = suiteCounts(report, c, byRuleOf(c));
    tTests += n.tests;
    tFail += n.failures;
    tErr += n.errors;
    tSkip += n.skipped;
  }
  const time = report.captures.reduce((s, c) => s + c.seconds, 0);
  yield `<?xml version="1.0" encoding="UTF-8"?>\n` + `<testsuites name="gretool lint" tests="${tTests}" failures="${tFail}" errors="${tErr}" disabled="${tSkip}" time="${time.toFixed(3)}">\n`;
  for (let i = 0; i < report.captures.length; i++) {
    if (i > 0) yield '\n';
    yield* suite(report, report.captures[i]!, stamp, host);
  }
  yield '\n</testsuites>\n';
}

/** The JUnit XML report as one string (library API). */
export function lintJunit(report: LintReport, now = new Date()): string {
  return [...lintJunitChunks(report, now)].join('');
}
