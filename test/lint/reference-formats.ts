/**
 * The report writers as they were before they streamed (commit 274f26f): each built the whole
 * report as one string. Kept verbatim as the reference that test/lint/stream.test.ts compares
 * the streaming writers (lintJunitChunks, lintTextChunks) with, byte for byte. JSON and SARIF
 * need no copy: their reference is JSON.stringify(lintJson(report) / lintSarif(report), null, 2),
 * the object builders the library API keeps. Change these only together with an intended change
 * of the report formats. Changed since: the lines on findings dropped past the per-rule limit
 * (counted once per distinct finding, "at least" when the count is a lower bound), in the text
 * and, after the rule's kept findings, in JUnit.
 */
import { hostname } from 'node:os';
import type { ChalkInstance } from 'chalk';
import { RULES } from '../../src/lint/rules/index.js';
import { fails } from '../../src/lint/config.js';
import { SEVERITY_RANK, specText, type Severity } from '../../src/lint/rule.js';
import type { Finding } from '../../src/lint/engine.js';
import type { LintReport } from '../../src/lint/run.js';
import { framesText, plural, xmlEscape as x } from '../../src/lint/format/common.js';

const TEXT_PER_RULE = 25;

function findingLine(f: Finding): string {
  return `[${f.severity}] ${framesText(f, 50)}${f.session !== null ? `, session ${f.session}` : ''}: ${f.message}`;
}

export function referenceJunit(report: LintReport, now = new Date()): string {
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
      const n = c.dropped[rule.id];
      const dropped = n ? [`… and ${c.droppedAtLeast.includes(rule.id) ? 'at least ' : ''}${n} more finding${n === 1 ? '' : 's'} of ${rule.id} not kept (limit per rule and capture reached)`] : [];
      const parts: string[] = [head];
      if (failing.length) {
        failures++;
        const top = failing.reduce<Severity>((m, f) => (SEVERITY_RANK[f.severity] > SEVERITY_RANK[m] ? f.severity : m), 'info');
        const msg = `${plural(failing.length, 'finding')} (${rule.summary}) [${specText(rule)}]`;
        parts.push(`      <failure message="${x(msg)}" type="${top}">${x([...failing.map(findingLine), ...dropped].join('\n') + `\n\n${rule.explanation}\nFix: ${rule.fix}`)}</failure>`);
      }
      const out = [...below.map(findingLine), ...(failing.length ? [] : dropped)];
      if (out.length) parts.push(`      <system-out>${x(out.join('\n'))}</system-out>`);
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

export function referenceText(report: LintReport, chalk: ChalkInstance, perRule = TEXT_PER_RULE): string {
  const out: string[] = [];
  const multi = report.captures.length > 1;
  const sevStyle: Record<Severity, (s: string) => string> = {
    error: (s) => chalk.red.bold(s),
    warning: (s) => chalk.yellow(s),
    info: (s) => chalk.cyan(s),
  };
  const byId = new Map(RULES.map((r) => [r.id, r]));
  const dropped = new Map<string, number>();
  const atLeast = new Set<string>();
  for (const c of report.captures) {
    for (const [rule, n] of Object.entries(c.dropped)) dropped.set(rule, (dropped.get(rule) ?? 0) + n);
    for (const rule of c.droppedAtLeast) atLeast.add(rule);
  }
  let current = '';
  let shown = 0;
  let hidden = 0;
  const flushHidden = () => {
    const d = dropped.get(current);
    const dn = `${atLeast.has(current) ? 'at least ' : ''}${d}`;
    if (hidden > 0 && d === undefined) out.push(chalk.dim(`  … and ${plural(hidden, 'more finding')} of ${current} (--format json lists every finding)`));
    else if (hidden > 0) out.push(chalk.dim(`  … and ${plural(hidden, 'more finding')} of ${current} (--format json lists them) and ${dn} more not kept (limit per rule and capture reached)`));
    else if (d !== undefined) out.push(chalk.dim(`  … and ${dn} more finding${d === 1 ? '' : 's'} of ${current} not kept (limit per rule and capture reached)`));
    hidden = 0;
  };
  for (const f of report.findings) {
    if (f.rule !== current) {
      flushHidden();
      current = f.rule;
      shown = 0;
      const rule = byId.get(f.rule)!;
      if (out.length) out.push('');
      out.push(`${chalk.bold(rule.id)}  ${rule.summary}  ${chalk.dim(`[${specText(rule)}]`)}`);
    }
    if (shown++ >= perRule) {
      hidden++;
      continue;
    }
    const where = `${multi ? `${f.capture}: ` : ''}${framesText(f)}${f.session !== null ? `, session ${f.session}` : ''}`;
    const times = f.occurrences > 1 && f.occurrences !== f.frames.length ? ` (${f.occurrences}×)` : '';
    out.push(`  ${sevStyle[f.severity](f.severity.padEnd(7))} ${where}${times}: ${f.message}`);
  }
  flushHidden();
  if (report.findings.length === 0) out.push('No findings.');
  out.push('');
  const s = report.summary;
  const capText = multi ? `${plural(s.captures, 'capture')}, ` : '';
  const rulesHit = Object.keys(s.byRule).length;
  out.push(
    `${capText}${plural(s.frames, 'frame')}: ${plural(s.findings, 'finding')} (${plural(s.bySeverity.error, 'error')}, ${plural(s.bySeverity.warning, 'warning')}, ${s.bySeverity.info} info)` +
      `${s.findings ? ` from ${plural(rulesHit, 'rule')}` : ''}; ${s.rulesEnabled} of ${s.rulesTotal} rules enabled${s.configFile ? ` (policy: ${s.configFile})` : ''}.`,
  );
  if (s.dropped > 0) out.push(`${s.droppedAtLeast ? 'At least ' : ''}${plural(s.dropped, 'further finding')} not kept (limit per rule and capture reached; a finding counts once, however many frames it recurs in).`);
  for (const c of report.captures) if (c.error) out.push(chalk.red(`${c.error.message.includes(c.capture) ? '' : c.capture + ': '}${c.error.message}${c.frames ? ` (the ${plural(c.frames, 'frame')} read before it were linted)` : ''}`));
  const verdict =
    s.failOn === 'none'
      ? 'Verdict: pass (--fail-on none).'
      : s.failed
        ? chalk.red.bold(`Verdict: FAIL: ${plural(s.failing, 'finding')} at or above --fail-on ${s.failOn}.`)
        : chalk.green(`Verdict: pass: nothing at or above --fail-on ${s.failOn}.`);
  out.push(verdict);
  return out.join('\n') + '\n';
}
