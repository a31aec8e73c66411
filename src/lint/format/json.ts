/**
 * `--format json`: { tool, captures, findings: [{ rule, severity, frames, session, message,
 * spec, capture, occurrences, framesTruncated }], summary }. Documented in docs/lint.md.
 */
import { VERSION } from '../../version.js';
import type { LintReport } from '../run.js';

export function lintJson(report: LintReport): unknown {
  return {
    tool: { name: 'gretool', version: VERSION },
    captures: report.captures.map((c) => ({
      file: c.capture,
      frames: c.frames,
      findings: c.findings.length,
      seconds: Number(c.seconds.toFixed(6)),
      warnings: c.warnings,
      error: c.error ?? null,
      dropped: c.dropped,
    })),
    findings: report.findings.map((f) => ({
      rule: f.rule,
      severity: f.severity,
      frames: f.frames,
      session: f.session,
      message: f.message,
      spec: f.spec,
      capture: f.capture,
      occurrences: f.occurrences,
      framesTruncated: f.framesTruncated,
    })),
    summary: report.summary,
  };
}
