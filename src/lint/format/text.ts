/** The human report: findings grouped by rule, with frame numbers and RFC sections, then a summary. */
import type { ChalkInstance } from 'chalk';
import { RULES } from '../rules/index.js';
import { specText, type Severity } from '../rule.js';
import type { LintReport } from '../run.js';
import { framesText, plural } from './common.js';

/** Findings listed per rule in the text report; the rest are counted (JSON/JUnit/SARIF list all). */
export const TEXT_PER_RULE = 25;

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
  let current = '';
  let shown = 0;
  let hidden = 0;
  const hiddenLine = (): string | null => {
    const s = hidden > 0 ? line(chalk.dim(`  … and ${plural(hidden, 'more finding')} of ${current} (--format json lists every finding)`)) : null;
    hidden = 0;
    return s;
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
  if (s.dropped > 0) yield line(`${plural(s.dropped, 'further finding')} not listed (more than the per-rule limit).`);
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
