/**
 * gretool lint as a library.
 *
 *   import { lintCaptures, resolvePolicy } from './lint/index.js';
 *   const policy = resolvePolicy({ cli: { failOn: 'warning', disable: ['P-BU-RESERVED-FLAGS'] } });
 *   const report = await lintCaptures(['a.pcap', 'b.pcapng'], { policy });
 *   if (report.summary.failed) process.exitCode = 1;
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
export { Linter, FRAME_CAP, FINDING_CAP, type Finding, type CaptureLint } from './engine.js';
export { lintCapture, lintCaptures, buildReport, type CaptureResult, type LintReport, type LintSummary, type LintCaptureOptions } from './run.js';
export { attachLintFields, lintFieldsPostDissector, LINT_FIELDS } from './fields.js';
export { lintText } from './format/text.js';
export { lintJson } from './format/json.js';
export { lintJunit } from './format/junit.js';
export { lintSarif } from './format/sarif.js';
export { ruleRows, rulesMarkdown, rulesTable } from './format/rules.js';
