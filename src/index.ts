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
 */
import './dissectors/index.js';

// ---- dissecting
export {
  dissectCapture,
  dissectFrames,
  dissectPacket,
  compileDisplayFilter,
  type DissectOptions,
  type DissectResult,
  type PacketFilter,
  type PacketOptions,
  type Materialise,
} from './output/dissect.js';
export { compileFilter, type DisplayFilter } from './filter/index.js';
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
export { writeHexDump } from './output/hexdump.js';
export { TimeColumn, TIME_FORMATS, type TimeFormat } from './output/timefmt.js';
export { TextBuf } from './engine/textbuf.js';

// ---- engine (advanced: the reused packet and pipeline)
export { Pipeline, type PostDissector } from './engine/pipeline.js';
export type { Packet } from './engine/packet.js';

// ---- errors and version
export { GretoolError, UsageError, OutputError, type ErrorCode } from './errors.js';
export { VERSION } from './version.js';
