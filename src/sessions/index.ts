/**
 * The session correlator (issue 5): PBU/PBA pairing, the binding table (RFC 5213 binding
 * cache entry + RFC 5845 GRE fields), data attribution, generated dissection fields.
 *
 *   correlateCapture(path)              whole capture → Correlator (what `gretool sessions` runs)
 *   new Correlator() + .pbu/.pba/.data  hand-fed events; .addListener(l) for the linter
 *   createSessionHook / attachSessions  post-dissector writing gretool.* fields (dissect, -2)
 *   sessionsJson / sessionsCsv / sessionsText   reports (docs/sessions-schema.md)
 *   sessionsTextLines                   the text report line by line (a large report, never one string)
 */
export * from './types.js';
export { DataEvent, signalling } from './events.js';
export {
  Correlator,
  UnattributedAggregate,
  UNATTRIBUTED_FRAME_CAP,
  statusName,
  type CorrelatorOptions,
  type CorrelatorCounts,
  type PairMark,
  type UnansweredPbu,
  type UnsolicitedPba,
} from './correlator.js';
export { Extractor, EXTRACT_NONE, EXTRACT_PBU, EXTRACT_PBA, EXTRACT_DATA } from './extract.js';
export { FastPath, FAST_NONE, FAST_DATA, FAST_FALLBACK, FAST_PBU, FAST_PBA, type FastPathOptions } from './fastpath.js';
export { SESSION_FIELDS } from './fields.js';
export { SessionTracker, createSessionHook, attachSessions, type AttachOptions, type SessionHook } from './attach.js';
export { correlateCapture, type CorrelateOptions, type CorrelateResult } from './run.js';
export {
  SCHEMA_ID,
  sessionsJson,
  sessionsJsonChunks,
  sessionsCsv,
  sessionsText,
  sessionsTextLines,
  bindingJson,
  keyText,
  historyText,
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
} from './report.js';
export { AddrTable, parseAddr, canonicalAddr, addrText } from './addr.js';
