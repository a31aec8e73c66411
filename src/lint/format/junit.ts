/**
 * `--format junit`: one <testsuite> per capture, one <testcase> per enabled rule (name = rule
 * id, classname = "gretool.lint.<capture>"). A rule with findings at or above --fail-on fails
 * (one <failure>, type = the highest severity, every finding listed in the body); findings below
 * the threshold are listed in <system-out> of a passing test case; disabled rules are
 * <skipped/>. A capture that could not be read completely adds an <error> test case. The shape
 * follows the de-facto Jenkins JUnit schema (junit-10.xsd).
 */
import { hostname } from 'node:os';
import { RULES } from '../rules/index.js';
import { fails } from '../config.js';
import { SEVERITY_RANK, specText, type Severity } from '../rule.js';
import type { Finding } from '../engine.js';
import type { LintReport } from '../run.js';
import { framesText, plural, xmlEscape as x } from './common.js';

function findingLine(f: Finding): string {
  return `[${f.severity}] ${framesText(f, 50)}${f.session !== null ? `, session ${f.session}` : ''}: ${f.message}`;
}

export function lintJunit(report: LintReport, now = new Date()): string {
  const failOn = report.policy.failOn;
  const stamp = now.toISOString().replace(/\.\d+Z$/, '');
  const host = hostname();
  const suites: string[] = [];
  let tTests = 0;
  let tFail = 0;
  let tErr = 0;
  let tSkip = 0;
  for (const c of report.captures) {
    const byRule = new Map<string, Finding[]>();
    for (const f of c.findings) {
      let arr = byRule.get(f.rule);
      if (!arr) byRule.set(f.rule, (arr = []));
      arr.push(f);
    }
    const cases: string[] = [];
    let failures = 0;
    let skipped = 0;
    let errors = 0;
    const cls = `gretool.lint.${c.capture.replace(/[^A-Za-z0-9_-]/g, '_')}`;
    RULES.forEach((rule, i) => {
      const head = `    <testcase name="${x(rule.id)}" classname="${x(cls)}" time="0">`;
      if (!report.policy.enabled[i]) {
        skipped++;
        cases.push(`${head}\n      <skipped message="rule disabled by the lint policy"/>\n    </testcase>`);
        return;
      }
      const list = byRule.get(rule.id) ?? [];
      const failing = list.filter((f) => fails(f.severity, failOn));
      const below = list.filter((f) => !fails(f.severity, failOn));
      const parts: string[] = [head];
      if (failing.length) {
        failures++;
        const top = failing.reduce<Severity>((m, f) => (SEVERITY_RANK[f.severity] > SEVERITY_RANK[m] ? f.severity : m), 'info');
        const msg = `${plural(failing.length, 'finding')} (${rule.summary}) [${specText(rule)}]`;
        parts.push(`      <failure message="${x(msg)}" type="${top}">${x(failing.map(findingLine).join('\n') + `\n\n${rule.explanation}\nFix: ${rule.fix}`)}</failure>`);
      }
      if (below.length) parts.push(`      <system-out>${x(below.map(findingLine).join('\n'))}</system-out>`);
      cases.push(parts.length === 1 ? `${head}</testcase>` : `${parts.join('\n')}\n    </testcase>`);
    });
    if (c.error) {
      errors++;
      cases.push(`    <testcase name="capture" classname="${x(cls)}" time="0">\n      <error message="${x(c.error.message)}" type="${x(c.error.code)}">${x(`${c.error.message}\n${c.frames} frames were read and linted before the error.`)}</error>\n    </testcase>`);
    }
    const tests = cases.length;
    tTests += tests;
    tFail += failures;
    tErr += errors;
    tSkip += skipped;
    const props = [
      ['capture', c.capture],
      ['frames', String(c.frames)],
      ['fail-on', failOn],
      ...(report.policy.configFile ? [['config', report.policy.configFile]] : []),
    ]
      .map(([k, v]) => `      <property name="${x(k!)}" value="${x(v!)}"/>`)
      .join('\n');
    const out = c.warnings.length ? `\n    <system-out>${x(c.warnings.join('\n'))}</system-out>` : '';
    suites.push(
      `  <testsuite name="${x(c.capture)}" tests="${tests}" failures="${failures}" errors="${errors}" skipped="${skipped}" time="${c.seconds.toFixed(3)}" timestamp="${stamp}" hostname="${x(host)}">\n` +
        `    <properties>\n${props}\n    </properties>\n${cases.join('\n')}${out}\n  </testsuite>`,
    );
  }
  const time = report.captures.reduce((s, c) => s + c.seconds, 0);
  return (
    `<?xml version="1.0" encoding="UTF-8"?>\n` +
    `<testsuites name="gretool lint" tests="${tTests}" failures="${tFail}" errors="${tErr}" disabled="${tSkip}" time="${time.toFixed(3)}">\n` +
    `${suites.join('\n')}\n</testsuites>\n`
  );
}
