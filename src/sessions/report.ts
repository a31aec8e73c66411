/**
 * What `gretool sessions` prints: the stable JSON document (docs/sessions-schema.md), CSV, and
 * the human tables (drawn as cli-table3 draws them, by src/output/table.ts in linear time; colour
 * decided once by the caller).
 */
import type { ChalkInstance } from 'chalk';
import { tableLines } from '../output/table.js';
import { jsonChunks, LazyArray } from '../output/jsonstream.js';
import { type Correlator, type UnattributedAggregate, UNATTRIBUTED_FRAME_CAP, statusName } from './correlator.js';
import {
  DIR_DOWN,
  DIR_UP,
  ENCAP_NAMES,
  REASONS,
  type BindingView,
  type HistoryEntry,
  type HomePrefix,
  type SignallingEvent,
  type TrafficStats,
} from './types.js';

export const SCHEMA_ID = 'gretool.sessions/1';

// ---------------------------------------------------------------------- JSON shapes

export interface TrafficJson {
  frames: number;
  bytes: number;
  firstFrame: number | null;
  lastFrame: number | null;
  seqGaps: number;
  seqMissing: number;
  seqReordered: number;
}

export interface HistoryJson {
  frame: number | null;
  kind: HistoryEntry['kind'];
  status: number | null;
  time: number;
  reason?: string;
  pbuFrame?: number;
  attempted?: string;
  mag?: string;
  previousMag?: string;
  downlinkKey?: number | null;
  uplinkKey?: number | null;
  lifetime?: number;
  handoffIndicator?: number;
}

export interface BindingJson {
  id: number;
  mnId: string;
  hnp: string[];
  ipv4HomeAddress: string | null;
  mag: string;
  lma: string;
  transport: string;
  greMode: string;
  downlinkKey: number | null;
  uplinkKey: number | null;
  tlv: boolean;
  state: string;
  lifetime: number;
  expiresAt: number | null;
  lastSuccessStatus: number | null;
  handoffIndicator: number | null;
  accessTechnologyType: number | null;
  history: HistoryJson[];
  uplink: TrafficJson;
  downlink: TrafficJson;
  firstFrame: number;
  lastFrame: number;
}

export interface UnattributedJson {
  key: number | null;
  src: string;
  dst: string;
  direction: 'uplink' | 'downlink' | null;
  encapsulation: string;
  reasons: Record<string, number>;
  bindingId: number | null;
  frames: number;
  bytes: number;
  firstFrame: number;
  lastFrame: number;
  frameNumbers: number[];
  frameNumbersTruncated: boolean;
}

export interface UnansweredJson {
  frame: number;
  time: number;
  mag: string;
  lma: string;
  seq: number;
  mnId: string | null;
  kind: string;
  bindingId: number;
  retransmissions: number[];
}

export interface UnsolicitedJson {
  frame: number;
  time: number;
  lma: string;
  mag: string;
  seq: number;
  mnId: string | null;
  status: number;
  bindingId: number | null;
}

export interface SessionsJson {
  schema: typeof SCHEMA_ID;
  summary: {
    frames: number;
    pbus: number;
    pbas: number;
    dataFrames: number;
    attributedFrames: number;
    unattributedFrames: number;
    bindings: number;
    unansweredPbus: number;
    unsolicitedPbas: number;
  };
  bindings: BindingJson[];
  unattributed: UnattributedJson[];
  unansweredPbus: UnansweredJson[];
  unsolicitedPbas: UnsolicitedJson[];
}

const round6 = (t: number): number => Math.round(t * 1e6) / 1e6;
const evTime = (e: SignallingEvent): number => round6(e.tsSec + e.tsNsec / 1e9);
export const prefixText = (h: HomePrefix): string => `${h.prefix}/${h.len}`;

function trafficJson(s: TrafficStats): TrafficJson {
  return {
    frames: s.frames, bytes: s.bytes, firstFrame: s.firstFrame, lastFrame: s.lastFrame,
    seqGaps: s.seqGaps, seqMissing: s.seqMissing, seqReordered: s.seqReordered,
  };
}

function historyJson(h: HistoryEntry): HistoryJson {
  const o: HistoryJson = { frame: h.frame, kind: h.kind, status: h.status, time: round6(h.time) };
  if (h.reason !== undefined) o.reason = h.reason;
  if (h.pbuFrame !== undefined) o.pbuFrame = h.pbuFrame;
  if (h.attempted !== undefined) o.attempted = h.attempted;
  if (h.mag !== undefined) o.mag = h.mag;
  if (h.previousMag !== undefined) o.previousMag = h.previousMag;
  if (h.downlinkKey !== undefined) o.downlinkKey = h.downlinkKey;
  if (h.uplinkKey !== undefined) o.uplinkKey = h.uplinkKey;
  if (h.lifetime !== undefined) o.lifetime = h.lifetime;
  if (h.hi !== undefined) o.handoffIndicator = h.hi;
  return o;
}

export function bindingJson(b: BindingView): BindingJson {
  return {
    id: b.id,
    mnId: b.mnId,
    hnp: b.hnp.map(prefixText),
    ipv4HomeAddress: b.ipv4HomeAddress,
    mag: b.mag,
    lma: b.lma,
    transport: b.transport,
    greMode: b.greMode,
    downlinkKey: b.downlinkKey,
    uplinkKey: b.uplinkKey,
    tlv: b.tlv,
    state: b.state,
    lifetime: b.lifetime,
    expiresAt: Number.isNaN(b.expiresAt) ? null : round6(b.expiresAt),
    lastSuccessStatus: b.lastSuccessStatus >= 0 ? b.lastSuccessStatus : null,
    handoffIndicator: b.hi >= 0 ? b.hi : null,
    accessTechnologyType: b.att >= 0 ? b.att : null,
    history: b.history.map(historyJson),
    uplink: trafficJson(b.uplink),
    downlink: trafficJson(b.downlink),
    firstFrame: b.firstFrame,
    lastFrame: b.lastFrame,
  };
}

function unattributedJson(a: UnattributedAggregate): UnattributedJson {
  const reasons: Record<string, number> = {};
  REASONS.forEach((r, i) => {
    if (a.reasons[i]) reasons[r] = a.reasons[i]!;
  });
  return {
    key: a.key,
    src: a.src,
    dst: a.dst,
    direction: a.direction === DIR_UP ? 'uplink' : a.direction === DIR_DOWN ? 'downlink' : null,
    encapsulation: ENCAP_NAMES[a.encap] ?? 'unknown',
    reasons,
    bindingId: a.candidate?.id ?? null,
    frames: a.frames,
    bytes: a.bytes,
    firstFrame: a.firstFrame,
    lastFrame: a.lastFrame,
    frameNumbers: [...a.frameNumbers],
    frameNumbersTruncated: a.frames > UNATTRIBUTED_FRAME_CAP,
  };
}

/** The whole report (call after correlator.finish()). */
export function sessionsJson(c: Correlator): SessionsJson {
  return sessionsReport(c, (items, map) => items.map(map)) as SessionsJson;
}

/**
 * The whole report as `JSON.stringify(sessionsJson(c), null, 2)` + newline gives it, in pieces:
 * each binding, unattributed aggregate, unanswered PBU and unsolicited PBA is made, written and
 * dropped in turn (what `gretool sessions --format json` writes, with writeChunks).
 */
export function* sessionsJsonChunks(c: Correlator): Generator<string> {
  yield* jsonChunks(sessionsReport(c, (items, map) => new LazyArray(items, map)));
  yield '\n';
}

/** The report object, its four lists made by `list` (mapped arrays, or LazyArrays to stream them). */
function sessionsReport(c: Correlator, list: <T>(items: readonly T[], map: (item: T) => unknown) => unknown): unknown {
  const un = c.unansweredPbus();
  const us = c.unsolicitedPbas();
  return {
    schema: SCHEMA_ID,
    summary: {
      ...c.counts,
      bindings: c.bindings().length,
      unansweredPbus: un.length,
      unsolicitedPbas: us.length,
    },
    bindings: list(c.bindings(), bindingJson),
    unattributed: list(c.unattributed(), unattributedJson),
    unansweredPbus: list(un, (u) => ({
      frame: u.pbu.frame, time: evTime(u.pbu), mag: u.pbu.src, lma: u.pbu.dst, seq: u.pbu.seq, mnId: u.pbu.mnId,
      kind: u.kind, bindingId: u.binding.id, retransmissions: [...u.retransmissions],
    })),
    unsolicitedPbas: list(us, (u) => ({
      frame: u.pba.frame, time: evTime(u.pba), lma: u.pba.src, mag: u.pba.dst, seq: u.pba.seq, mnId: u.pba.mnId,
      status: u.pba.status, bindingId: u.candidate?.id ?? null,
    })),
  };
}

// ---------------------------------------------------------------------- text helpers

/** A GRE key as both gre.key (hex) and mip6.gre_key (decimal) print it. */
export function keyText(k: number | null, sep = ' '): string {
  return k === null ? '-' : `0x${k.toString(16).padStart(8, '0')}${sep}(${k})`;
}

const KIND_SHORT: Record<string, string> = {
  initial: 'initial',
  'lifetime-extension': 'extension',
  handoff: 'handoff',
  deregistration: 'dereg',
  rejected: 'rejected',
  expired: 'expired',
  unanswered: 'unanswered',
};

/** One-line history: "initial@2 extension@8 handoff@14(from 2001:db8:1::1) rejected:163@20 expired". */
export function historyText(history: readonly Pick<HistoryJson, 'kind' | 'status' | 'reason' | 'attempted' | 'frame' | 'previousMag'>[]): string {
  return history
    .map((h) => {
      let s = KIND_SHORT[h.kind] ?? h.kind;
      if (h.kind === 'rejected') s += `:${h.status}(${h.reason ?? statusName(h.status ?? 0)})`;
      if (h.kind === 'unanswered' && h.attempted) s += `:${KIND_SHORT[h.attempted]}`;
      if (h.frame !== null) s += `@${h.frame}`;
      if (h.kind === 'handoff' && h.previousMag) s += `(from ${h.previousMag})`;
      return s;
    })
    .join(' ');
}

// ---------------------------------------------------------------------- CSV

export type CsvTable = 'bindings' | 'unattributed' | 'unanswered' | 'unsolicited';

function csvCell(v: unknown): string {
  const s = v === null || v === undefined ? '' : String(v);
  return /[",\n\r]/.test(s) ? `"${s.replace(/"/g, '""')}"` : s;
}

function csv(rows: unknown[][]): string {
  return rows.map((r) => r.map(csvCell).join(',')).join('\n') + '\n';
}

/** One table as RFC 4180 CSV with a header row (keys as decimal numbers). */
export function sessionsCsv(j: SessionsJson, which: CsvTable = 'bindings'): string {
  switch (which) {
    case 'bindings':
      return csv([
        ['id', 'mnId', 'hnp', 'ipv4HomeAddress', 'mag', 'lma', 'transport', 'greMode', 'downlinkKey', 'uplinkKey', 'tlv', 'state',
          'lifetime', 'uplinkFrames', 'uplinkBytes', 'downlinkFrames', 'downlinkBytes', 'uplinkSeqGaps', 'downlinkSeqGaps',
          'firstFrame', 'lastFrame', 'history'],
        ...j.bindings.map((b) => [
          b.id, b.mnId, b.hnp.join(' '), b.ipv4HomeAddress, b.mag, b.lma, b.transport, b.greMode, b.downlinkKey, b.uplinkKey,
          b.tlv, b.state, b.lifetime, b.uplink.frames, b.uplink.bytes, b.downlink.frames, b.downlink.bytes, b.uplink.seqGaps,
          b.downlink.seqGaps, b.firstFrame, b.lastFrame,
          b.history.map((h) => `${h.kind}${h.status !== null ? ':' + h.status : ''}${h.frame !== null ? '@' + h.frame : ''}`).join(' '),
        ]),
      ]);
    case 'unattributed':
      return csv([
        ['key', 'src', 'dst', 'direction', 'encapsulation', 'reasons', 'bindingId', 'frames', 'bytes', 'firstFrame', 'lastFrame', 'frameNumbers'],
        ...j.unattributed.map((u) => [
          u.key, u.src, u.dst, u.direction, u.encapsulation, Object.entries(u.reasons).map(([k, v]) => `${k}:${v}`).join(' '),
          u.bindingId, u.frames, u.bytes, u.firstFrame, u.lastFrame, u.frameNumbers.join(' '),
        ]),
      ]);
    case 'unanswered':
      return csv([
        ['frame', 'time', 'mag', 'lma', 'seq', 'mnId', 'kind', 'bindingId', 'retransmissions'],
        ...j.unansweredPbus.map((u) => [u.frame, u.time, u.mag, u.lma, u.seq, u.mnId, u.kind, u.bindingId, u.retransmissions.join(' ')]),
      ]);
    case 'unsolicited':
      return csv([
        ['frame', 'time', 'lma', 'mag', 'seq', 'mnId', 'status', 'bindingId'],
        ...j.unsolicitedPbas.map((u) => [u.frame, u.time, u.lma, u.mag, u.seq, u.mnId, u.status, u.bindingId]),
      ]);
  }
}

// ---------------------------------------------------------------------- tables

export interface TableStyle {
  head: string[];
  border: string[];
}

const STATE_STYLE: Record<string, keyof ChalkInstance> = {
  active: 'green',
  pending: 'yellow',
  rejected: 'red',
  deregistered: 'gray',
  expired: 'magenta',
};

/** A cli-table3 table `{ head, style: { ...style, padding 1 / 1 }, wordWrap: false }`, line by line. */
function table(head: string[], rows: string[][], style: TableStyle): Generator<string> {
  return tableLines({ head, style: { ...style, 'padding-left': 1, 'padding-right': 1 } }, rows);
}

export interface SessionsTextOptions {
  /**
   * Every binding column (home addresses, TLV, lifetime, bytes, sequence gaps, history, keys
   * also in decimal). The default table keeps to what fits a terminal: who, where, which keys,
   * which state, how many frames each way.
   */
  wide?: boolean;
}

/** The human report: summary, bindings, unattributed traffic, unanswered PBUs, unsolicited PBAs. */
export function sessionsText(j: SessionsJson, chalk: ChalkInstance, style: TableStyle, opts: SessionsTextOptions = {}): string {
  return [...sessionsTextLines(j, chalk, style, opts)].join('\n') + '\n';
}

/**
 * sessionsText line by line, without the newlines (each line + '\n', concatenated, is
 * sessionsText): for writing a large report without building it as one string.
 */
export function* sessionsTextLines(j: SessionsJson, chalk: ChalkInstance, style: TableStyle, opts: SessionsTextOptions = {}): Generator<string> {
  const s = j.summary;
  yield `${s.frames} frames correlated: ${s.pbus} PBU, ${s.pbas} PBA, ${s.dataFrames} tunnelled data ` +
    `(${s.attributedFrames} attributed, ${s.unattributedFrames} unattributed)`;
  yield '';
  yield chalk.bold(`Bindings (${j.bindings.length})`);
  if (j.bindings.length === 0) yield '  (none)';
  else if (!opts.wide) {
    const head = ['ID', 'MN identifier', 'MAG (Proxy-CoA)', 'LMA', 'Transport', 'GRE', 'DL key', 'UL key', 'State', 'Frames up/down'];
    const rows: string[][] = [];
    const hex = (k: number | null) => (k === null ? '-' : '0x' + k.toString(16).padStart(8, '0'));
    for (const b of j.bindings) {
      const st = STATE_STYLE[b.state];
      rows.push([
        String(b.id), b.mnId || '-', b.mag, b.lma, b.transport, b.greMode, hex(b.downlinkKey), hex(b.uplinkKey),
        st ? (chalk[st] as (x: string) => string)(b.state) : b.state, `${b.uplink.frames} / ${b.downlink.frames}`,
      ]);
    }
    yield* table(head, rows, style);
    yield chalk.dim('  (--wide: home addresses, TLV, lifetime, bytes, sequence gaps, history)');
  } else {
    const head = ['ID', 'MN identifier', 'Home address', 'MAG (Proxy-CoA)', 'LMA', 'Transport', 'GRE', 'DL key', 'UL key', 'TLV', 'State', 'Lifetime', 'Uplink', 'Downlink', 'History'];
    const rows: string[][] = [];
    for (const b of j.bindings) {
      const home = [...b.hnp, ...(b.ipv4HomeAddress ? [b.ipv4HomeAddress] : [])].join('\n') || '-';
      const st = STATE_STYLE[b.state];
      const stateText = st ? (chalk[st] as (x: string) => string)(b.state) : b.state;
      const traffic = (x: TrafficJson) =>
        `${x.frames} fr / ${x.bytes} B` + (x.seqGaps ? `\n${x.seqGaps} seq gap${x.seqGaps > 1 ? 's' : ''} (${x.seqMissing} lost)` : '');
      rows.push([
        String(b.id), b.mnId || '-', home, b.mag, b.lma, b.transport, b.greMode, keyText(b.downlinkKey, '\n'), keyText(b.uplinkKey, '\n'),
        b.tlv ? 'yes' : 'no', stateText, b.lifetime ? `${b.lifetime} s` : '-', traffic(b.uplink), traffic(b.downlink), historyText(b.history),
      ]);
    }
    yield* table(head, rows, style);
  }
  yield '';
  yield chalk.bold(`Unattributed tunnelled traffic (${j.unattributed.length})`);
  if (j.unattributed.length === 0) yield '  (none)';
  else {
    const head = ['GRE key', 'Source', 'Destination', 'Direction', 'Encap', 'Reason', 'Binding?', 'Frames', 'Bytes', 'Frame numbers'];
    const rows: string[][] = [];
    for (const u of j.unattributed) {
      const nums = u.frameNumbers.slice(0, 8).join(' ') + (u.frames > 8 ? ` … ${u.lastFrame}` : '');
      rows.push([
        keyText(u.key, '\n'), u.src, u.dst, u.direction ?? '-', u.encapsulation,
        Object.entries(u.reasons).map(([k, v]) => (Object.keys(u.reasons).length > 1 ? `${k} (${v})` : k)).join('\n'),
        u.bindingId === null ? '-' : String(u.bindingId), String(u.frames), String(u.bytes), nums,
      ]);
    }
    yield* table(head, rows, style);
  }
  if (j.unansweredPbus.length) {
    yield '';
    yield chalk.bold(`Unanswered PBUs (${j.unansweredPbus.length})`);
    const head = ['Frame', 'MAG', 'LMA', 'Seq', 'MN identifier', 'Kind', 'Binding', 'Retransmissions'];
    const rows: string[][] = [];
    for (const u of j.unansweredPbus) {
      rows.push([String(u.frame), u.mag, u.lma, String(u.seq), u.mnId ?? '-', u.kind, String(u.bindingId), u.retransmissions.join(' ') || '-']);
    }
    yield* table(head, rows, style);
  }
  if (j.unsolicitedPbas.length) {
    yield '';
    yield chalk.bold(`Unsolicited PBAs (${j.unsolicitedPbas.length})`);
    const head = ['Frame', 'LMA', 'MAG', 'Seq', 'MN identifier', 'Status', 'Binding?'];
    const rows: string[][] = [];
    for (const u of j.unsolicitedPbas) {
      rows.push([String(u.frame), u.lma, u.mag, String(u.seq), u.mnId ?? '-', `${u.status} (${statusName(u.status)})`, u.bindingId === null ? '-' : String(u.bindingId)]);
    }
    yield* table(head, rows, style);
  }
}
