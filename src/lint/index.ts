/**
 * gretool lint as a library.
 *
 *   import { lintCaptures, resolvePolicy } from './lint/index.js';
 *   const policy = resolvePolicy({ cli: { failOn: 'warning', disable: ['P-BU-RESERVED-FLAGS'] } });
 *   const report = await lintCaptures(['a.pcap', 'b.pcapng'], { policy });
 *   if (report.summary.failed) process.exitCode = 1;
 *   await writeChunks(lintJsonChunks(report), process.stdout);   // in ~64 KiB pieces, with back-pressure
 */
export { RULES, SESSION_RULES } from './rules/index.js';
export { PACKET_RULES } from './rules/packet.js';
export {
  defineExpertRule,
  defineSessionRule,
  specText,
  specUri,
  SEVERITIES,
  type Rule,
  type RuleMeta,
  type ExpertRule,
  type SessionRule,
  type RuleContext,
  type RuleHooks,
  type Severity,
  type Scope,
  type SpecRef,
} from './rule.js';
export {
  resolvePolicy,
  loadConfigFile,
  matchRules,
  ruleById,
  fails,
  CONFIG_FILE_NAME,
  FAIL_ON,
  type FailOn,
  type LintPolicy,
  type ResolvedPolicy,
  type ResolveOptions,
} from './config.js';
export { Linter, FRAME_CAP, FINDING_CAP, DROPPED_KEY_CAP, type Finding, type CaptureLint, type LinterOptions } from './engine.js';
export { lintCapture, lintCaptures, buildReport, type CaptureResult, type LintReport, type LintSummary, type LintCaptureOptions } from './run.js';
export { attachLintFields, lintFieldsPostDissector, LINT_FIELDS } from './fields.js';
export { lintText, lintTextChunks, TEXT_PER_RULE } from './format/text.js';
export { lintJson, lintJsonChunks } from './format/json.js';
export { lintJunit, lintJunitChunks } from './format/junit.js';
export { lintSarif, lintSarifChunks } from './format/sarif.js';
// the reports in pieces (bounded memory): lint*Chunks(report) → writeChunks(pieces, stream)
export { ruleRows, rulesMarkdown, rulesTable } from './format/rules.js';
