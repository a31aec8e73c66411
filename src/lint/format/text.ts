/** The human report: findings grouped by rule, with frame numbers and RFC sections, then a summary. */
import type { ChalkInstance } from 'chalk';
import { RULES } from '../rules/index.js';
import { specText, type Severity } from '../rule.js';
import type { LintReport } from '../run.js';
import { DROPPED_NOTE, droppedLine, framesText, plural } from './common.js';

/** Findings listed per rule in the text report; the rest are counted (JSON/JUnit/SARIF list every kept finding). */
export const TEXT_PER_RULE = 25;

/** Per rule id: distinct findings dropped in all captures, and whether that is a lower bound. */
function droppedByRule(report: LintReport): Map<string, { count: number; atLeast: boolean }> {
  const out = new Map<string, { count: number; atLeast: boolean }>();
  for (const c of report.captures) {
    for (const [rule, n] of Object.entries(c.dropped)) {
      const d = out.get(rule) ?? { count: 0, atLeast: false };
      d.count += n;
      if (c.droppedAtLeast.includes(rule)) d.atLeast = true;
      out.set(rule, d);
    }
  }
  return out;
}

/** The text report, in pieces (one line each, with its line feed): what `gretool lint` writes. */
export function* lintTextChunks(report: LintReport, chalk: ChalkInstance, perRule = TEXT_PER_RULE): Generator<string> {
  let lines = 0;
  const line = (s: string): string => {
    lines++;
    return s + '\n';
  };
  const multi = report.captures.length > 1;
  const sevStyle: Record<Severity, (s: string) => string> = {
    error: (s) => chalk.red.bold(s),
    warning: (s) => chalk.yellow(s),
    info: (s) => chalk.cyan(s),
  };
  const byId = new Map(RULES.map((r) => [r.id, r]));
  const dropped = droppedByRule(report);
  let current = '';
  let shown = 0;
  let hidden = 0;
  // after a rule's findings: those not shown here, and those the linter did not keep
  const hiddenLine = (): string | null => {
    const d = dropped.get(current);
    const dn = d === undefined ? '' : `${d.atLeast ? 'at least ' : ''}${d.count}`;
    let s: string | null = null;
    if (hidden > 0 && d === undefined) s = `  … and ${plural(hidden, 'more finding')} of ${current} (--format json lists every finding)`;
    else if (hidden > 0) s = `  … and ${plural(hidden, 'more finding')} of ${current} (--format json lists them) and ${dn} more not kept (${DROPPED_NOTE})`;
    else if (d !== undefined) s = `  ${droppedLine(current, d.count, d.atLeast)}`;
    hidden = 0;
    return s === null ? null : line(chalk.dim(s));
  };
  for (const f of report.findings) {
    if (f.rule !== current) {
      const h = hiddenLine();
      if (h !== null) yield h;
      current = f.rule;
      shown = 0;
      const rule = byId.get(f.rule)!;
      if (lines > 0) yield line('');
      yield line(`${chalk.bold(rule.id)}  ${rule.summary}  ${chalk.dim(`[${specText(rule)}]`)}`);
    }
    if (shown++ >= perRule) {
      hidden++;
      continue;
    }
    const where = `${multi ? `${f.capture}: ` : ''}${framesText(f)}${f.session !== null ? `, session ${f.session}` : ''}`;
    const times = f.occurrences > 1 && f.occurrences !== f.frames.length ? ` (${f.occurrences}×)` : '';
    yield line(`  ${sevStyle[f.severity](f.severity.padEnd(7))} ${where}${times}: ${f.message}`);
  }
  const h = hiddenLine();
  if (h !== null) yield h;
  if (report.findings.length === 0) yield line('No findings.');
  yield line('');
  const s = report.summary;
  const capText = multi ? `${plural(s.captures, 'capture')}, ` : '';
  const rulesHit = Object.keys(s.byRule).length;
  yield line(
    `${capText}${plural(s.frames, 'frame')}: ${plural(s.findings, 'finding')} (${plural(s.bySeverity.error, 'error')}, ${plural(s.bySeverity.warning, 'warning')}, ${s.bySeverity.info} info)` +
      `${s.findings ? ` from ${plural(rulesHit, 'rule')}` : ''}; ${s.rulesEnabled} of ${s.rulesTotal} rules enabled${s.configFile ? ` (policy: ${s.configFile})` : ''}.`,
  );
  if (s.dropped > 0) yield line(`${s.droppedAtLeast ? 'At least ' : ''}${plural(s.dropped, 'further finding')} not kept (${DROPPED_NOTE}; a finding counts once, however many frames it recurs in).`);
  for (const c of report.captures) if (c.error) yield line(chalk.red(`${c.error.message.includes(c.capture) ? '' : c.capture + ': '}${c.error.message}${c.frames ? ` (the ${plural(c.frames, 'frame')} read before it were linted)` : ''}`));
  const verdict =
    s.failOn === 'none'
      ? 'Verdict: pass (--fail-on none).'
      : s.failed
        ? chalk.red.bold(`Verdict: FAIL: ${plural(s.failing, 'finding')} at or above --fail-on ${s.failOn}.`)
        : chalk.green(`Verdict: pass: nothing at or above --fail-on ${s.failOn}.`);
  yield line(verdict);
}

/** The text report as one string (library API). */
export function lintText(report: LintReport, chalk: ChalkInstance, perRule = TEXT_PER_RULE): string {
  return [...lintTextChunks(report, chalk, perRule)].join('');
}
