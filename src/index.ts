/**
 * gretool's library API (the CLI is built on it).
 *
 *   import { dissectCapture } from 'gretool';
 *   await dissectCapture('capture.pcap', (frame) => {
 *     if (frame.has('gre.key')) console.log(frame.number, frame.text('gre.key'), frame.get('ip.src'));
 *   }, { filter: 'gre' });
 *
 * Frames are dissected into one reused Frame: read fields inside the callback (or `snapshot()`).
 * Declaring the fields the callback reads (`{ fields: ['gre.key', 'ip.src'] }`) makes dissection
 * several times faster: only those are materialised (anything else is still readable, slower).
 * `dissectFrames()` is the async-iterator form (one promise per frame), `dissectPacket()` one
 * frame from bytes. Importing this module registers every protocol.
 *
 * Sessions and lint, as `gretool sessions` and `gretool lint` run them:
 *
 *   import { correlateCapture, sessionsJson, lintCaptures, resolvePolicy, lintJson } from 'gretool';
 *   const { correlator } = await correlateCapture('capture.pcap');
 *   console.log(sessionsJson(correlator).bindings);        // docs/sessions-schema.md
 *   const report = await lintCaptures(['capture.pcap'], { policy: resolvePolicy({ noConfig: true }) });
 *   if (report.summary.failed) console.log(lintJson(report));
 *
 * Large reports without building them as one string: the `*Chunks` generators (lint text,
 * JSON, JUnit, SARIF), `sessionsJsonChunks` and `sessionsTextLines` give them in pieces; `writeChunks(pieces, stream)`
 * writes pieces in ~64 KiB writes, waiting for 'drain'.
 *
 * The generated fields of `gretool dissect` (gretool.session, gretool.direction, gretool.pair.*,
 * gretool.lint.rule) come from post-dissectors: `createSessionHook()` (two passes with
 * `beginSecondPass()`) and `lintFieldsPostDissector()`, passed in `DissectOptions.postDissectors`.
 */
import './dissectors/index.js';

// ---- dissecting
export {
  dissectCapture,
  dissectFrames,
  dissectPacket,
  type DissectOptions,
  type DissectResult,
  type PacketFilter,
  type PacketOptions,
  type Materialise,
} from './output/dissect.js';
export { compileFilter, compileDisplayFilter, type DisplayFilter } from './filter/index.js';
export {
  Frame,
  fieldId,
  nodeValue,
  type FieldValue,
  type TreeNode,
  type ExpertInfo,
  type FrameSummary,
  type FrameSnapshot,
} from './output/frame.js';

// ---- captures
export {
  openCapture,
  createCaptureWriter,
  forEachRecord,
  records,
  linkTypeName,
  LINK_TYPES,
  LINKTYPE_ETHERNET,
  LINKTYPE_RAW,
  LINKTYPE_NULL,
  LINKTYPE_LOOP,
  LINKTYPE_LINUX_SLL,
  LINKTYPE_LINUX_SLL2,
  LINKTYPE_IPV4,
  LINKTYPE_IPV6,
  type CaptureSource,
  type OpenCaptureOptions,
} from './capture/index.js';
export type {
  CaptureReader,
  CaptureInfo,
  CaptureWarning,
  CaptureWriter,
  CaptureWriterOptions,
  InterfaceInfo,
  PacketRecord,
  WriterInterface,
} from './capture/types.js';

// ---- the registry (fields, expert items)
export { fieldByName, fieldDef, allFields, type FieldDef, type FieldType, type Base } from './engine/fields.js';
// what a run materialises (Pipeline `want`, DissectOptions.fields does this for you)
export { wantForFields, wantMask, unionWant, WANT_NODE, WANT_FIELDS, type WantOptions } from './engine/fields.js';
export { expertByName, expertDef, allExperts, type ExpertDef, type ExpertSeverity, type ExpertGroup } from './engine/expert.js';
export { glossary, glossaryText, type GlossaryEntry } from './output/glossary.js';
export { closeFieldNames, resolveFields } from './output/fields.js';

// ---- output formats (advanced: write tshark-style text from a Frame's packet)
export { fieldText, writeFieldText, nodeLabel, displayValue } from './output/format.js';
export { SummaryWriter, type SummaryColors } from './output/summary.js';
export { DetailWriter } from './output/detail.js';
export { FieldsWriter, parseFieldsOptions, DEFAULT_FIELDS_OPTIONS, type FieldsOptions } from './output/fields.js';
export { JsonWriter, EkWriter } from './output/json.js';
// any report in pieces, for bounded memory: writeChunks(lintSarifChunks(report), stream)
export { jsonChunks, writeChunks, LazyArray } from './output/jsonstream.js';
export { writeHexDump } from './output/hexdump.js';
export { TimeColumn, TIME_FORMATS, type TimeFormat } from './output/timefmt.js';
export { TextBuf } from './engine/textbuf.js';

// ---- engine (advanced: the reused packet and pipeline)
export { Pipeline, type PostDissector } from './engine/pipeline.js';
export type { Packet } from './engine/packet.js';

// ---- sessions: PBU/PBA pairing, bindings, data attribution (src/sessions, docs/sessions-schema.md)
export {
  correlateCapture,
  Correlator,
  UnattributedAggregate,
  UNATTRIBUTED_FRAME_CAP,
  statusName,
  createSessionHook,
  attachSessions,
  SessionTracker,
  Extractor,
  EXTRACT_NONE,
  EXTRACT_PBU,
  EXTRACT_PBA,
  EXTRACT_DATA,
  DataEvent,
  signalling,
  SESSION_FIELDS,
  SCHEMA_ID as SESSIONS_SCHEMA_ID,
  sessionsJson,
  sessionsJsonChunks,
  sessionsCsv,
  sessionsText,
  sessionsTextLines,
  bindingJson,
  keyText,
  historyText,
  parseAddr,
  canonicalAddr,
  addrText,
  DIR_NONE,
  DIR_UP,
  DIR_DOWN,
  REASONS,
  ENCAP_GRE,
  ENCAP_IPIP,
  ENCAP_UDP,
  ENCAP_UDP_TLV,
  ENCAP_NAMES,
  type CorrelateOptions,
  type CorrelateResult,
  type CorrelatorOptions,
  type CorrelatorCounts,
  type PairMark,
  type UnansweredPbu,
  type UnsolicitedPba,
  type AttachOptions,
  type SessionHook,
  type SessionsJson,
  type BindingJson,
  type HistoryJson,
  type TrafficJson,
  type UnattributedJson,
  type UnansweredJson,
  type UnsolicitedJson,
  type CsvTable,
  type TableStyle,
  type SessionsTextOptions,
  type Transport,
  type GreMode,
  type BindingState,
  type MessageKind,
  type HistoryKind,
  type Direction,
  type UnattributedReason,
  type HomePrefix,
  type SignallingEvent,
  type NegotiatedState,
  type HistoryEntry,
  type TrafficStats,
  type BindingView,
  type PbuOutcome,
  type PairOutcome,
  type BindingChangeType,
  type BindingChange,
  type DataResult,
  type SessionListener,
} from './sessions/index.js';
export { extractorWant } from './sessions/extract.js';

// ---- lint: the rule catalog, policy, runner, report formats (src/lint, docs/lint.md)
export {
  RULES,
  SESSION_RULES,
  PACKET_RULES,
  defineExpertRule,
  defineSessionRule,
  specText,
  specUri,
  SEVERITIES,
  resolvePolicy,
  loadConfigFile,
  matchRules,
  ruleById,
  fails,
  CONFIG_FILE_NAME,
  FAIL_ON,
  Linter,
  FRAME_CAP,
  FINDING_CAP,
  DROPPED_KEY_CAP,
  lintCapture,
  lintCaptures,
  buildReport,
  attachLintFields,
  lintFieldsPostDissector,
  LINT_FIELDS,
  lintText,
  lintJson,
  lintJunit,
  lintSarif,
  TEXT_PER_RULE,
  // the reports in pieces, for bounded memory: writeChunks(lintSarifChunks(report), stream)
  lintTextChunks,
  lintJsonChunks,
  lintJunitChunks,
  lintSarifChunks,
  ruleRows,
  rulesMarkdown,
  rulesTable,
  type Rule,
  type RuleMeta,
  type ExpertRule,
  type SessionRule,
  type RuleContext,
  type RuleHooks,
  type Severity,
  type Scope,
  type SpecRef,
  type FailOn,
  type LintPolicy,
  type ResolvedPolicy,
  type ResolveOptions,
  type Finding,
  type CaptureLint,
  type CaptureResult,
  type LintReport,
  type LintSummary,
  type LintCaptureOptions,
  type LinterOptions,
} from './lint/index.js';
export type { LintCapturesOptions } from './lint/run.js';
export type { LintFieldsOptions } from './lint/fields.js';
export type { RuleRow } from './lint/format/rules.js';

// ---- errors and version
export { GretoolError, UsageError, OutputError, type ErrorCode } from './errors.js';
export { VERSION } from './version.js';
