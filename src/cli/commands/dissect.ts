/**
 * `gretool dissect FILE|-`: tshark's reading modes. One summary line per frame by default;
 * `-V` full tree, `-x` hex dump, `-T fields|json|ek` machine formats, `-Y` display filter,
 * `-w` writes the frames dissected (after the filter) as pcap or pcapng.
 */
import { Option, type Command } from 'commander';
import { createCaptureWriter, type CaptureReader, type CaptureWriter, type WriterInterface } from '../../capture/index.js';
import { GretoolError, UsageError } from '../../errors.js';
import { fieldByName } from '../../engine/fields.js';
import { ByteSink } from '../../output/sink.js';
import { SummaryWriter } from '../../output/summary.js';
import { DetailWriter } from '../../output/detail.js';
import { writeHexDump } from '../../output/hexdump.js';
import { FieldsWriter, parseFieldsOptions, resolveFields } from '../../output/fields.js';
import { EkWriter, JsonWriter } from '../../output/json.js';
import { TIME_FORMATS, TimeColumn, isTimeFormat, precisionTable, type TimeFormat } from '../../output/timefmt.js';
import { dissectCapture, type Materialise } from '../../output/dissect.js';
import { wantMask } from '../../engine/fields.js';
import type { Frame } from '../../output/frame.js';
import { decideColor, escapes, makeChalk } from '../color.js';

export interface DissectCliOptions {
  V?: boolean;
  x?: boolean;
  P?: boolean;
  T?: string;
  e?: string[];
  E?: string[];
  c?: string;
  t?: string;
  Y?: string;
  w?: string;
  F?: string;
  color?: boolean;
  debug?: boolean;
}

const collect = (v: string, prev: string[] | undefined): string[] => [...(prev ?? []), v];

type OutFormat = 'text' | 'fields' | 'json' | 'ek';

export function registerDissect(program: Command): Command {
  return program
    .command('dissect')
    .description('dissect a capture: summary lines, full tree (-V), hex (-x), fields/json/ek (-T), filter (-Y), write (-w)')
    .argument('<file>', 'capture file (pcap, pcapng, gzip-compressed; "-" for stdin)')
    .option('-V', 'print the full protocol tree of each frame, expert items inline')
    .option('-x', 'print a hex and ASCII dump of each frame')
    .option('-P', 'print the summary line too (with -V, -x or -w)')
    .addOption(new Option('-T <format>', 'output format').choices(['text', 'fields', 'json', 'ek']))
    .option('-e <field>', 'field to print with -T fields|json|ek (repeatable)', collect)
    .option('-E <option>', 'fields option: header=y|n, separator=/t|/s|<c>, occurrence=f|l|a|<n>, aggregator=,|/s|<c>, quote=d|s|n, bom=y|n (repeatable)', collect)
    .option('-c <count>', 'stop after reading this many frames')
    .option('-t <format>', `time column format: ${TIME_FORMATS.join('|')} (default r, relative)`)
    .option('-Y <filter>', 'display filter: only frames that match are printed and written')
    .option('-w <file>', 'write the frames dissected (after -Y) to a capture file ("-" for stdout)')
    .addOption(new Option('-F <format>', 'format of the -w file (default pcapng)').choices(['pcap', 'pcapng', 'nsecpcap']))
    .option('--color', 'colour the summary (default: only on a terminal; NO_COLOR and FORCE_COLOR are honoured)')
    .option('--no-color', 'never colour')
    .option('--debug', 'rethrow dissector bugs with their stack instead of recording them in the frame')
    .addHelpText(
      'after',
      `
Without -V, -x or -T the output is one summary line per frame, as tshark prints it. A malformed
frame is still printed ("[Malformed Packet]" in its Info) and the exit code stays 0. With -w
nothing is printed unless -P, -V, -x or -T is given. -c counts frames read, as tshark does.

Examples:
  gretool dissect capture.pcap -V
  gretool dissect capture.pcap -T fields -E header=y -e frame.number -e gre.key -e mip6.gre_key
  gretool dissect capture.pcap -Y 'mip6.ba.status == 163' -w rejected.pcapng`,
    )
    .action(async (file: string, opts: DissectCliOptions, cmd: Command) => {
      const explicitT = cmd.getOptionValueSource('T') === 'cli';
      await runDissect(file, opts, explicitT);
    });
}

function parseCount(s: string | undefined): number | undefined {
  if (s === undefined) return undefined;
  if (!/^[0-9]+$/.test(s) || Number(s) < 1) throw new UsageError(`-c ${s}: expected a number of frames (1 or more)`);
  return Number(s);
}

export async function runDissect(file: string, cliOpts: DissectCliOptions, explicitT = cliOpts.T !== undefined): Promise<void> {
  // ------------------------------------------------------------------ options
  const opts = { ...cliOpts, e: cliOpts.e ?? [], E: cliOpts.E ?? [] };
  const format = (opts.T ?? 'text') as OutFormat;
  const count = parseCount(opts.c);
  const timeFmt = opts.t ?? 'r';
  if (!isTimeFormat(timeFmt)) throw new UsageError(`-t ${timeFmt}: unknown time format (expected ${TIME_FORMATS.join(', ')})`);
  if (format === 'fields' && opts.e.length === 0) throw new UsageError('-T fields needs at least one -e FIELD');
  if (opts.e.length > 0 && format === 'text') throw new UsageError('-e selects fields for -T fields, json or ek; add -T fields');
  if (opts.x && format !== 'text') throw new UsageError(`-x (hex dump) goes with the text output; it cannot be combined with -T ${format}`);
  const fieldIds = opts.e.length ? resolveFields(opts.e) : [];
  const fieldsOpts = parseFieldsOptions(opts.E);
  const writeTo = opts.w;
  const wFormat = opts.F ?? 'pcapng';
  const textWanted = writeTo === undefined || opts.P === true || opts.V === true || opts.x === true || explicitT;
  if (writeTo === '-' && textWanted) throw new UsageError('-w - writes the capture to standard output; it cannot be combined with -P, -V, -x or -T');

  // ------------------------------------------------------------------ writers
  const sink = ByteSink.stdout();
  const out = sink.out;
  const color = decideColor({ flag: opts.color });
  const chalk = makeChalk(color);
  const colors = color.enabled && format === 'text' ? { error: escapes(chalk.red), warning: escapes(chalk.yellow) } : null;
  const deltaFid = fieldByName('frame.time_delta')?.id ?? -1;
  const time = new TimeColumn(timeFmt as TimeFormat, [6], deltaFid);
  const summaryOn = opts.P === true || (!opts.V && !opts.x);
  const summary = new SummaryWriter(time, colors);
  const detail = opts.V ? new DetailWriter({ hexForData: !opts.x, colors }) : null;
  const hex = opts.x === true;
  const fieldsWriter = format === 'fields' ? new FieldsWriter(fieldIds, fieldsOpts) : null;
  const json = format === 'json' ? new JsonWriter(fieldIds.length ? { fields: fieldIds } : {}) : null;
  const ek = format === 'ek' ? new EkWriter(fieldIds.length ? { fields: fieldIds } : {}) : null;
  let capWriter: CaptureWriter | null = null;
  let ifaceMap: number[] = [];
  let reader: CaptureReader | null = null;

  const onFrame = (f: Frame): void => {
    const p = f.packet;
    if (capWriter !== null) {
      let iface = ifaceMap[p.interfaceId];
      if (iface === undefined) iface = mapLateInterface(reader!, p.interfaceId, p.linkType, ifaceMap, capWriter);
      capWriter.write(p.data, p.base, p.caplen, p.origlen, p.tsSec, p.tsNsec, iface, p.comments && p.comments.length ? p.comments.join('\n') : undefined);
    }
    if (!textWanted) return;
    switch (format) {
      case 'text':
        if (summaryOn) summary.write(out, p);
        if (detail !== null) {
          detail.write(out, p);
          if (!hex) out.byte(10);
        }
        if (hex) {
          if (summaryOn || detail !== null) out.byte(10);
          writeHexDump(out, p.data, p.base, p.caplen);
          out.byte(10);
        }
        break;
      case 'fields':
        fieldsWriter!.write(out, p);
        break;
      case 'json':
        json!.frame(out, p);
        break;
      case 'ek':
        ek!.frame(out, p);
        break;
    }
    sink.maybeFlush();
  };

  // ------------------------------------------------------------------ what to materialise
  // Only what the output shows: the summary needs the columns but no field; -T fields its -e
  // fields; -x (alone) and -w nothing; -V, json and ek the whole tree. With -Y, frames are first
  // dissected with just the filter's fields (and the -e fields), and a frame that matches is
  // dissected again when the output needs more (see dissectCapture's `materialise`).
  let output: Materialise;
  if (!textWanted) output = { want: wantMask([]), columns: false };
  else if (format === 'fields') output = { want: wantMask(fieldIds), columns: false };
  else if (format === 'json' || format === 'ek' || detail !== null) output = { want: null, columns: format === 'text' && summaryOn };
  else output = { want: wantMask([]), columns: summaryOn };

  let failure: unknown = null;
  let started = false;
  try {
    const result = await dissectCapture(file, onFrame, {
      count,
      debug: opts.debug === true,
      filter: opts.Y,
      materialise: { output },
      onOpen: (r) => {
        reader = r;
        time.digits = precisionTable(r.info);
        if (writeTo !== undefined) {
          const made = makeCaptureWriter(writeTo, wFormat, r);
          capWriter = made.writer;
          ifaceMap = made.map;
        }
        if (textWanted) {
          if (fieldsWriter) fieldsWriter.begin(out);
          if (json) json.begin(out);
        }
        started = true;
      },
      onChunk: async () => {
        if (reader) {
          const d = precisionTable(reader.info);
          for (let i = 0; i < d.length; i++) time.digits[i] = d[i]!;
        }
        await sink.drain();
        if (capWriter) await capWriter.drain();
      },
    });
    for (const w of result.warnings) process.stderr.write(`gretool: warning: ${w.frame !== undefined ? `frame ${w.frame}: ` : ''}${w.message}\n`);
  } catch (err) {
    failure = err;
  }
  // Everything read so far is printed before an input error is reported.
  try {
    if (started && textWanted && json) json.end(out);
    await sink.drain();
  } finally {
    if (capWriter) await (capWriter as CaptureWriter).close();
  }
  if (failure !== null) throw failure;
}

/** Creates the -w writer with the input's interfaces; returns input interface id → output index. */
function makeCaptureWriter(dest: string, fmt: string, reader: CaptureReader): { writer: CaptureWriter; map: number[] } {
  const ifs = reader.info.interfaces;
  const map: number[] = [];
  let interfaces: WriterInterface[];
  const nanosecond = fmt === 'nsecpcap' || (fmt === 'pcapng' && ifs.some((i) => i.tsUnitsPerSecond > 1e6));
  if (fmt === 'pcapng') {
    interfaces = ifs.map((i, k) => {
      map[i.id] = k;
      const w: WriterInterface = { linkType: i.linkType, snaplen: i.snaplen };
      if (i.name !== undefined) w.name = i.name;
      return w;
    });
  } else {
    const types = [...new Set(ifs.map((i) => i.linkType))];
    if (types.length > 1) {
      throw new UsageError(`-F ${fmt}: pcap holds one link type but this capture has ${types.length} (${types.join(', ')}); write pcapng (-F pcapng)`);
    }
    interfaces = [{ linkType: types[0] ?? 1, snaplen: Math.max(...ifs.map((i) => i.snaplen || 262144), 0) || 262144 }];
    for (const i of ifs) map[i.id] = 0;
  }
  if (interfaces.length === 0) interfaces = [{ linkType: 1 }];
  const writer = createCaptureWriter(dest, { format: fmt === 'pcapng' ? 'pcapng' : 'pcap', nanosecond, interfaces });
  return { writer, map };
}

/** An interface described after the output started: reuse an output interface of the same link type. */
function mapLateInterface(reader: CaptureReader, id: number, linkType: number, map: number[], _w: CaptureWriter): number {
  for (const i of reader.info.interfaces) {
    const k = map[i.id];
    if (k !== undefined && i.linkType === linkType) {
      map[id] = k;
      return k;
    }
  }
  throw new GretoolError('OUTPUT', `interface ${id} (link type ${linkType}) is described after the first packets; its frames cannot be written to the -w file`);
}
