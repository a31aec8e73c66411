/**
 * `gretool dissect FILE|-`: tshark's reading modes. One summary line per frame by default;
 * `-V` full tree, `-x` hex dump, `-T fields|json|ek` machine formats, `-Y` display filter,
 * `-w` writes the frames dissected (after the filter) as pcap or pcapng, `-2` two passes.
 *
 * Generated fields: the session correlator's (`gretool.session`, `gretool.direction`,
 * `gretool.pair.*`, src/sessions/fields.ts) and the packet-scope lint findings
 * (`gretool.lint.rule`, `gretool.lint.severity`, src/lint/field-defs.ts) are added by
 * post-dissectors, which are installed only when the run shows them: the whole tree (-V,
 * -T json|ek without -e), or a -e field / -Y filter that names one of their fields (decided
 * from the field ids). Other runs (summary, `-T fields -e gre.key`) pay nothing for them.
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
import { compileDisplayFilter, dissectCapture, type Materialise } from '../../output/dissect.js';
import { unionWant, wantMask } from '../../engine/fields.js';
import type { PostDissector } from '../../engine/pipeline.js';
import type { SessionHook } from '../../sessions/attach.js';
import { SESSION_FIELDS } from '../../sessions/fields.js';
import { LINT_FIELDS } from '../../lint/field-defs.js';
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
  /** -2: two passes (forward references of the session correlator). */
  '2'?: boolean;
  color?: boolean;
  debug?: boolean;
}

const collect = (v: string, prev: string[] | undefined): string[] => [...(prev ?? []), v];

/** Ids of the session correlator's and the linter's generated fields (their protocols included). */
const SESSION_IDS: ReadonlySet<number> = new Set(Object.values(SESSION_FIELDS));
const LINT_IDS: ReadonlySet<number> = new Set(Object.values(LINT_FIELDS));

/**
 * Which producers of generated fields a run needs: both when it shows the whole tree, else the
 * session correlator when `ids` (the -e fields and the filter's fields, as resolved by the
 * registry) hold a `gretool.session*` / `gretool.direction` / `gretool.pair.*` field (or the
 * `gretool` protocol), and the lint fields when they hold a `gretool.lint*` one.
 */
export function generatedFieldsNeeded(wholeTree: boolean, ids: Iterable<number>): { sessions: boolean; lint: boolean } {
  let sessions = wholeTree;
  let lint = wholeTree;
  for (const id of ids) {
    if (SESSION_IDS.has(id)) sessions = true;
    else if (LINT_IDS.has(id)) lint = true;
  }
  return { sessions, lint };
}

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
    .option('-2', 'two passes: correlate the whole capture first, so a PBU also shows its PBA (gretool.pair.*); needs a file, not stdin')
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

Generated fields (gretool's own, listed by \`gretool fields gretool\`):
  gretool.session            binding id (as in \`gretool sessions\`) of a data frame, PBU or PBA
  gretool.direction          1 uplink (MAG to LMA), 2 downlink (LMA to MAG), on tunnelled data
  gretool.session.kind       PBU/PBA: initial, lifetime-extension, handoff, deregistration
  gretool.pair.frame/.time   PBA: its PBU and the response time; PBU: its PBA (with -2 only)
  gretool.pair.unanswered    PBU without a PBA in the capture (with -2 only)
  gretool.session.unattributed, gretool.session.candidate, gretool.pair.unsolicited, ...
  gretool.lint.rule          packet-scope lint rule the frame breaks (gretool lint --list-rules),
  gretool.lint.severity      with its severity; rules disabled in ./.gretool.json are left out
They appear in -V (a "gretool" subtree at the end of each attributed frame), in -T json|ek,
and wherever -e or -Y names them; runs that do not show them do not compute them. The session
correlator sees every frame in order, also those -Y hides and those before the first printed.
In one pass a PBU cannot know its PBA (it comes later in the capture): -2 reads the capture
twice, as tshark -2 does: the first pass correlates the whole capture (the -c first frames
with -c) and prints nothing, the second pass prints with the references learnt.
-2 needs a file: standard input ("-") cannot be read twice, so -2 with "-" is refused (exit 2),
as tshark does; save the capture to a file first.

Examples:
  gretool dissect capture.pcap -V
  gretool dissect capture.pcap -T fields -E header=y -e frame.number -e gre.key -e mip6.gre_key
  gretool dissect capture.pcap -Y 'mip6.ba.status == 163' -w rejected.pcapng
  gretool dissect capture.pcap -2 -T fields -e frame.number -e gretool.session -e gretool.pair.frame
  gretool dissect capture.pcap -Y 'gretool.session == 3 && gretool.direction == 1'
  gretool dissect capture.pcap -Y 'gretool.lint.rule == "P-GREKEY-BAD-LEN"'`,
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
  const twoPass = opts['2'] === true;
  if (twoPass && file === '-') {
    throw new UsageError('-2 reads the capture twice, and standard input cannot be read twice: save the capture to a file and dissect that');
  }
  const filter = opts.Y !== undefined ? compileDisplayFilter(opts.Y) : undefined;

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

  // ------------------------------------------------------------------ generated fields
  // The whole tree shows them; otherwise only a -e field or the filter naming one of them
  // (by field id: the registry's declarations, not the user's text) turns them on.
  const wholeTree = textWanted && (detail !== null || ((format === 'json' || format === 'ek') && fieldIds.length === 0));
  const need = generatedFieldsNeeded(wholeTree, [...(textWanted ? fieldIds : []), ...(filter?.fields ?? [])]);
  const sessionsOn = need.sessions;
  const lintOn = need.lint;
  const printed = output; // what the output itself shows
  const hooks: PostDissector[] = [];
  let session: SessionHook | null = null;
  if (sessionsOn) {
    const [{ createSessionHook }, { extractorWant }] = await Promise.all([import('../../sessions/attach.js'), import('../../sessions/extract.js')]);
    session = createSessionHook({ twoPass });
    hooks.push(session.postDissector);
    // the Extractor reads its fields from every frame: the output's mask gets them too (the
    // generated fields themselves are in it when -e names them, and in the filter's mask)
    output = { want: unionWant(output.want, extractorWant()), columns: output.columns };
  }
  if (lintOn) {
    const [{ lintFieldsPostDissector }, { resolvePolicy }] = await Promise.all([import('../../lint/fields.js'), import('../../lint/config.js')]);
    hooks.push(lintFieldsPostDissector({ policy: resolvePolicy() }));
  }

  // -2, pass 1: correlation only, into the hook's tracker (every frame, or the -c first ones;
  // no filter, no output), as `gretool sessions` correlates: the Extractor's mask, common data
  // frames through the fast path. A capture cut mid-file is correlated as far as it reads: pass
  // 2 prints those frames and reports the error.
  if (twoPass && session !== null) {
    const { correlateCapture } = await import('../../sessions/run.js');
    const r = await correlateCapture(file, { tracker: session.tracker, debug: opts.debug === true, ...(count !== undefined ? { count } : {}) });
    if (r.error !== undefined && !(r.error instanceof GretoolError)) throw r.error;
    session.beginSecondPass();
  }

  // Summary lines of a filtered run do not show the hooks' fields: frames are
  // dissected without columns, and one that matches is dissected again for its summary line
  // (which drops the generated fields, unused there). Every other output with hooks is
  // dissected once, with everything it shows (see dissectCapture's `materialise`).
  let materialise: { first?: Materialise; output: Materialise } = { output };
  if (hooks.length > 0 && filter !== undefined && printed.want !== null && printed.columns && format === 'text') {
    materialise = { first: { want: unionWant(output.want, wantMask(filter.fields)), columns: false }, output: printed };
  }

  let failure: unknown = null;
  let started = false;
  try {
    const result = await dissectCapture(file, onFrame, {
      count,
      debug: opts.debug === true,
      filter,
      postDissectors: hooks,
      materialise,
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
