/**
 * `--format json`: { tool, captures, findings: [{ rule, severity, frames, session, message,
 * spec, capture, occurrences, framesTruncated }], summary }. Documented in docs/lint.md.
 *
 * `lintJson` builds the whole object (library API); the CLI writes `lintJsonChunks`, the same
 * text as JSON.stringify(lintJson(report), null, 2) + '\n' in pieces, one finding at a time.
 */
import { VERSION } from '../../version.js';
import type { Finding } from '../engine.js';
import type { LintReport } from '../run.js';
import { jsonChunks, LazyArray } from '../../output/jsonstream.js';

function jsonFinding(f: Finding): unknown {
  return {
    rule: f.rule,
    severity: f.severity,
    frames: f.frames,
    session: f.session,
    message: f.message,
    spec: f.spec,
    capture: f.capture,
    occurrences: f.occurrences,
    framesTruncated: f.framesTruncated,
  };
}

function jsonDocument(report: LintReport, findings: unknown): unknown {
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
      droppedAtLeast: c.droppedAtLeast,
    })),
    findings,
    summary: report.summary,
  };
}

export function lintJson(report: LintReport): unknown {
  return jsonDocument(report, report.findings.map(jsonFinding));
}

/** The JSON report as text (indented by 2, final line feed), in pieces. */
export function* lintJsonChunks(report: LintReport): Generator<string> {
  yield* jsonChunks(jsonDocument(report, new LazyArray(report.findings, jsonFinding)));
  yield '\n';
}
