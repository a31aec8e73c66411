/**
 * `gretool info FILE...`: the capinfos of gretool. Format, byte order, timestamp precision,
 * interfaces and link types, packet count, captured bytes, first/last time, duration, snaplen,
 * gzip, comments and reader warnings; human-readable or `--json`.
 */
import type { Command } from 'commander';
import {
  collectStats,
  emptyStats,
  formatDuration,
  formatEpoch,
  formatUtc,
  linkTypeName,
  openCapture,
  type CaptureReader,
  type CaptureStats,
} from '../../capture/index.js';
import { GretoolError } from '../../errors.js';
import { EXIT } from '../exit-codes.js';

/** The JSON shape of one file (`gretool info --json` prints an array of these). */
export interface InfoJson {
  file: string;
  /** Present when the file could not be read to its end (the other fields cover what was read). */
  error?: string;
  format?: 'pcap' | 'pcapng';
  byteOrder?: string;
  version?: string;
  gzip?: boolean;
  nanosecond?: boolean;
  timestampPrecision?: string;
  sections?: number;
  fileSize?: number | null;
  linkTypes?: number[];
  linkTypeNames?: string[];
  interfaces?: {
    id: number;
    linkType: number;
    linkTypeName: string;
    snaplen: number;
    tsResolution: string;
    name?: string;
    description?: string;
    comments: string[];
    packets: number;
  }[];
  packets?: number;
  capturedBytes?: number;
  /** Sum of original lengths (capinfos' "data size"). */
  originalBytes?: number;
  firstTime?: string | null;
  lastTime?: string | null;
  durationSeconds?: string | null;
  chronological?: boolean;
  packetsWithoutTimestamp?: number;
  snaplen?: number | null;
  comments?: string[];
  application?: string;
  os?: string;
  hardware?: string;
  warnings?: string[];
}

/** Builds the JSON object of one read (possibly partial) capture. */
export function infoJson(file: string, reader: CaptureReader, stats: CaptureStats, error?: string): InfoJson {
  const info = reader.info;
  const linkTypes = [...new Set(info.interfaces.map((i) => i.linkType))];
  const resolutions = [...new Set(info.interfaces.map((i) => i.tsResolution))];
  const snaps = [...new Set(info.interfaces.map((i) => i.snaplen))];
  const out: InfoJson = { file };
  if (error !== undefined) out.error = error;
  Object.assign(out, {
    format: info.format,
    byteOrder: info.byteOrder,
    version: info.version,
    gzip: info.gzip,
    nanosecond: info.nanosecond,
    timestampPrecision: resolutions.join(', '),
    sections: info.sections,
    fileSize: info.fileSize ?? null,
    linkTypes,
    linkTypeNames: linkTypes.map(linkTypeName),
    interfaces: info.interfaces.map((i) => ({
      id: i.id,
      linkType: i.linkType,
      linkTypeName: linkTypeName(i.linkType),
      snaplen: i.snaplen,
      tsResolution: i.tsResolution,
      ...(i.name !== undefined ? { name: i.name } : {}),
      ...(i.description !== undefined ? { description: i.description } : {}),
      comments: i.comments,
      packets: stats.perInterface[i.id] ?? 0,
    })),
    packets: stats.packets,
    capturedBytes: stats.capturedBytes,
    originalBytes: stats.originalBytes,
    firstTime: stats.first ? formatEpoch(stats.first.sec, stats.first.nsec) : null,
    lastTime: stats.last ? formatEpoch(stats.last.sec, stats.last.nsec) : null,
    durationSeconds: stats.first && stats.last ? formatDuration(stats.first.sec, stats.first.nsec, stats.last.sec, stats.last.nsec) : null,
    chronological: stats.chronological,
    packetsWithoutTimestamp: stats.withoutTimestamp,
    snaplen: info.snaplen ?? (snaps.length === 1 ? snaps[0]! : null),
    comments: info.comments,
    ...(info.application !== undefined ? { application: info.application } : {}),
    ...(info.os !== undefined ? { os: info.os } : {}),
    ...(info.hardware !== undefined ? { hardware: info.hardware } : {}),
    warnings: reader.warnings.map((w) => w.message),
  });
  return out;
}

function quote(s: string): string {
  return JSON.stringify(s);
}

/** The human-readable report of one file. */
export function infoText(j: InfoJson): string {
  const lines: [string, string][] = [];
  const add = (k: string, v: string): void => {
    lines.push([k, v]);
  };
  add('File', j.file);
  if (j.format !== undefined) {
    let fmt = `${j.format} ${j.version}, ${j.byteOrder}`;
    if (j.format === 'pcapng' && (j.sections ?? 1) > 1) fmt += `, ${j.sections} sections`;
    add('Format', fmt);
    add('Compression', j.gzip ? 'gzip' : 'none');
    if (j.fileSize !== null && j.fileSize !== undefined) add('File size', `${j.fileSize} bytes`);
    add('Timestamps', j.timestampPrecision || '(no interfaces)');
    add('Link types', j.linkTypes!.map((t, k) => `${t} (${j.linkTypeNames![k]})`).join(', ') || '(none)');
    if (j.format === 'pcapng') {
      for (const i of j.interfaces!) {
        let s = `#${i.id}: ${i.linkType} (${i.linkTypeName}), snaplen ${i.snaplen}, ${i.tsResolution}, ${i.packets} packet${i.packets === 1 ? '' : 's'}`;
        if (i.name !== undefined) s += `, name ${quote(i.name)}`;
        if (i.description !== undefined) s += `, description ${quote(i.description)}`;
        for (const c of i.comments) s += `, comment ${quote(c)}`;
        add('Interface', s);
      }
    }
    add('Packets', String(j.packets));
    add('Captured bytes', String(j.capturedBytes));
    add('Original bytes', `${j.originalBytes} (sum of on-the-wire lengths)`);
    if (j.firstTime && j.lastTime) {
      add('First packet time', timeText(j.firstTime));
      add('Last packet time', timeText(j.lastTime));
      add('Duration', `${j.durationSeconds} s`);
      if (!j.chronological) add('Order', 'not chronological (first/last are the earliest/latest)');
    } else {
      add('First packet time', 'n/a');
      add('Last packet time', 'n/a');
    }
    if (j.packetsWithoutTimestamp) add('Without timestamp', `${j.packetsWithoutTimestamp} packets`);
    add('Snaplen', j.snaplen === null ? 'per interface' : j.snaplen === 0 ? '0 (no limit)' : String(j.snaplen));
    if (j.application !== undefined) add('Application', j.application);
    if (j.os !== undefined) add('OS', j.os);
    if (j.hardware !== undefined) add('Hardware', j.hardware);
    for (const c of j.comments ?? []) add('Comment', quote(c));
    for (const w of j.warnings ?? []) add('Warning', w);
  }
  if (j.error !== undefined) add('Error', j.error);
  const width = Math.max(...lines.map(([k]) => k.length)) + 2;
  return lines.map(([k, v]) => `${(k + ':').padEnd(width)}${v}`).join('\n') + '\n';
}

function timeText(epoch: string): string {
  const dot = epoch.indexOf('.');
  const sec = Number(epoch.slice(0, dot));
  const nsec = Number(epoch.slice(dot + 1));
  if (epoch.startsWith('-')) return epoch;
  return `${formatUtc(sec, nsec)} (${epoch})`;
}

/** Reads one file: its JSON report (partial on error) and the error, if any. */
export async function infoOf(file: string): Promise<{ json: InfoJson; error?: GretoolError }> {
  let reader: CaptureReader;
  try {
    reader = await openCapture(file);
  } catch (err) {
    if (err instanceof GretoolError) return { json: { file, error: err.message }, error: err };
    throw err;
  }
  const stats = emptyStats();
  try {
    await collectStats(reader, stats);
    return { json: infoJson(file, reader, stats) };
  } catch (err) {
    if (err instanceof GretoolError) return { json: infoJson(file, reader, stats, err.message), error: err };
    throw err;
  } finally {
    await reader.close();
  }
}

export function registerInfo(program: Command): Command {
  return program
    .command('info')
    .description('show what a capture holds (like capinfos): format, link types, packets, bytes, times')
    .argument('<file...>', 'capture files (pcap, pcapng, gzip-compressed; "-" for stdin)')
    .option('--json', 'print a JSON array with one object per file (always an array, even for one file)')
    .addHelpText(
      'after',
      `
JSON output is always an array with one object per file. Fields: file, format ("pcap" |
"pcapng"), byteOrder, version, gzip, nanosecond, timestampPrecision, sections, fileSize,
linkTypes (numbers), linkTypeNames, interfaces[], packets, capturedBytes (sum of captured
lengths), originalBytes (sum of original lengths: capinfos' "data size"), firstTime and
lastTime (earliest and latest packet time as epoch seconds in a string with nine decimals,
null without packets), durationSeconds, chronological, snaplen, comments, warnings; and
error when the file could not be read to its end (the other fields then describe the part
that was read) or not opened at all (then only file and error).`,
    )
    .action(async (files: string[], opts: { json?: boolean }) => {
      const all: InfoJson[] = [];
      let failed = false;
      for (let k = 0; k < files.length; k++) {
        const file = files[k]!;
        const { json, error } = await infoOf(file);
        if (opts.json) all.push(json);
        else if (json.format !== undefined) process.stdout.write((k > 0 ? '\n' : '') + infoText(json));
        if (error) {
          failed = true;
          // Messages start with the file name already ("x.pcap: ...").
          process.stderr.write(`gretool: ${error.message}\n`);
        }
      }
      if (opts.json) process.stdout.write(JSON.stringify(all, null, 2) + '\n');
      if (failed) process.exitCode = EXIT.INPUT;
    });
}
