/**
 * `--format sarif`: SARIF 2.1.0 (OASIS), one run. The driver lists every rule with its
 * metadata (short and full description, help text and markdown with the RFC sections and the
 * fix, helpUri to the RFC section, default level and whether the policy enabled it). Results are
 * located by capture file (artifactLocation, with the capture in `artifacts`) and frame number:
 * the first frame as a logical location "frame N" of kind "element", further frames as
 * relatedLocations; every frame, the session and the spec are also in the result's properties.
 * Captures are binary artifacts, so there is no line/column region: dashboards show the
 * results at file level. partialFingerprints make results stable across runs.
 */
import { createHash } from 'node:crypto';
import { VERSION } from '../../version.js';
import type { Finding } from '../engine.js';
import { RULES } from '../rules/index.js';
import { specText, specUri, refText, type Rule, type Severity } from '../rule.js';
import type { LintReport } from '../run.js';
import { jsonChunks, LazyArray } from '../../output/jsonstream.js';
import { droppedLine } from './common.js';

const LEVEL: Record<Severity, 'error' | 'warning' | 'note'> = { error: 'error', warning: 'warning', info: 'note' };

/** A relative or absolute file path as a URI reference (percent-encoded, forward slashes). */
export function pathToUri(p: string): string {
  const s = p.replace(/\\/g, '/');
  const enc = s.split('/').map((seg) => encodeURIComponent(seg)).join('/');
  return s.startsWith('/') ? `file://${enc}` : enc;
}

function ruleName(id: string): string {
  return id
    .toLowerCase()
    .split('-')
    .map((w) => w.charAt(0).toUpperCase() + w.slice(1))
    .join('');
}

function helpMarkdown(r: Rule): string {
  const refs = r.refs.map((x) => `[${refText(x)}](https://www.rfc-editor.org/rfc/rfc${x.rfc}${x.section ? `#section-${x.section}` : ''})`).join(', ');
  return `**${r.id}** (${r.severity}${r.severityNote ? `; ${r.severityNote}` : ''}, scope: ${r.scope})\n\n${r.explanation}\n\n**Fix:** ${r.fix}\n\n**Specification:** ${refs}`;
}

function descriptor(r: Rule, enabled: boolean): unknown {
  const uri = specUri(r);
  return {
    id: r.id,
    name: ruleName(r.id),
    shortDescription: { text: r.summary },
    fullDescription: { text: r.explanation },
    help: { text: `${r.explanation}\nFix: ${r.fix}\nSpecification: ${specText(r)}`, markdown: helpMarkdown(r) },
    ...(uri ? { helpUri: uri } : {}),
    defaultConfiguration: { enabled, level: LEVEL[r.severity] },
    properties: {
      tags: ['pmipv6', r.detection === 'expert' ? 'packet' : 'session', ...new Set(r.refs.map((x) => `RFC ${x.rfc}`))],
      scope: r.scope,
      spec: specText(r),
      ...(r.severityNote ? { severityNote: r.severityNote } : {}),
    },
  };
}

function frameLocation(uri: string, artifact: number, capture: string, frame: number, id?: number): unknown {
  return {
    ...(id !== undefined ? { id } : {}),
    physicalLocation: { artifactLocation: { uri, index: artifact } },
    logicalLocations: [{ name: `frame ${frame}`, fullyQualifiedName: `${capture}#frame=${frame}`, kind: 'element' }],
  };
}

function fingerprint(f: Finding): string {
  return createHash('sha256').update(`${f.rule}\n${f.capture}\n${f.frames.join(',')}\n${f.session ?? ''}`).digest('hex').slice(0, 32);
}

/** The SARIF result of each finding (indices into the driver's rules and the run's artifacts). */
function resultMapper(report: LintReport): (f: Finding) => unknown {
  const ruleIndex = new Map(RULES.map((r, i) => [r.id, i]));
  const artIndex = new Map(report.captures.map((c, i) => [c.capture, i]));
  return (f) => {
    const ai = artIndex.get(f.capture) ?? 0;
    const uri = pathToUri(f.capture);
    const [first, ...rest] = f.frames;
    return {
      ruleId: f.rule,
      ruleIndex: ruleIndex.get(f.rule)!,
      level: LEVEL[f.severity],
      kind: 'fail',
      message: { text: `${f.message} (${f.frames.length === 1 ? `frame ${first}` : `frames ${f.frames.slice(0, 20).join(', ')}${f.frames.length > 20 || f.framesTruncated ? ', …' : ''}`}${f.session !== null ? `, session ${f.session}` : ''}; ${f.spec})` },
      locations: first !== undefined ? [frameLocation(uri, ai, f.capture, first)] : [{ physicalLocation: { artifactLocation: { uri, index: ai } } }],
      ...(rest.length ? { relatedLocations: rest.slice(0, 100).map((fr, i) => frameLocation(uri, ai, f.capture, fr, i + 1)) } : {}),
      partialFingerprints: { 'gretoolFinding/v1': fingerprint(f) },
      occurrenceCount: f.occurrences,
      properties: { frames: f.frames, framesTruncated: f.framesTruncated, session: f.session, spec: f.spec, capture: f.capture },
    };
  };
}

/** The SARIF log around its results (an array, or a LazyArray for lintSarifChunks). */
function sarifLog(report: LintReport, results: unknown): unknown {
  const artifacts = report.captures.map((c) => ({
    location: { uri: pathToUri(c.capture) },
    properties: { frames: c.frames },
  }));
  const notifications: unknown[] = report.captures
    .filter((c) => c.error)
    .map((c) => ({ level: 'error', message: { text: c.error!.message.includes(c.capture) ? c.error!.message : `${c.capture}: ${c.error!.message}` }, descriptor: { id: c.error!.code } }));
  // findings past the per-rule limit have no result: a note per capture and rule says how many
  for (const c of report.captures) {
    for (const rule of RULES) {
      const text = droppedLine(rule.id, c.dropped[rule.id], c.droppedAtLeast.includes(rule.id));
      if (text !== null) notifications.push({ level: 'note', message: { text: `${c.capture}: ${text}` }, descriptor: { id: 'FINDINGS_NOT_KEPT' }, associatedRule: { id: rule.id } });
    }
  }
  return {
    $schema: 'https://json.schemastore.org/sarif-2.1.0.json',
    version: '2.1.0',
    runs: [
      {
        tool: {
          driver: {
            name: 'gretool',
            fullName: 'gretool lint (PMIPv6 GRE key, RFC 5845)',
            version: VERSION,
            semanticVersion: VERSION,
            informationUri: 'https://www.rfc-editor.org/rfc/rfc5845',
            rules: RULES.map((r, i) => descriptor(r, report.policy.enabled[i]!)),
          },
        },
        invocations: [
          {
            executionSuccessful: report.summary.inputErrors === 0,
            ...(notifications.length ? { toolExecutionNotifications: notifications } : {}),
            properties: { failOn: report.policy.failOn, verdict: report.summary.failed ? 'fail' : 'pass', configFile: report.policy.configFile },
          },
        ],
        artifacts,
        results,
        properties: { summary: report.summary },
      },
    ],
  };
}

/** The SARIF log as an object (library API). */
export function lintSarif(report: LintReport): unknown {
  return sarifLog(report, report.findings.map(resultMapper(report)));
}

/**
 * The SARIF log as text, in pieces: the same bytes as JSON.stringify(lintSarif(report), null, 2)
 * + '\n', one result at a time (what `gretool lint --format sarif` writes).
 */
export function* lintSarifChunks(report: LintReport): Generator<string> {
  yield* jsonChunks(sarifLog(report, new LazyArray(report.findings, resultMapper(report))));
  yield '\n';
}
