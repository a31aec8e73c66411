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
import { createCaptureWriter, type CaptureReader, type CaptureWarning, type CaptureWriter, type WriterInterface } from '../../capture/index.js';
import { GretoolError, UsageError } from '../../errors.js';
import { fieldByName } from '../../engine/fields.js';
import { ByteSink } from '../../output/sink.js';
import { parseFieldsOptions } from '../../output/fields.js';
import { TIME_FORMATS, isTimeFormat, type TimeFormat } from '../../output/timefmt.js';
import { dissectCapture } from '../../output/dissect.js';
import type { DisplayFilter } from '../../filter/index.js';
import type { Frame } from '../../output/frame.js';
import { decideColor, escapes, makeChalk } from '../color.js';
import { fastColumns, planRun, Renderer, type OutFormat, type RenderSpec } from './dissect-plan.js';
import type { DissectJob } from './dissect-worker.js';

export { generatedFieldsNeeded } from './dissect-plan.js';

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
  /** -j: worker threads (1: none), or "auto". */
  jobs?: string;
  color?: boolean;
  debug?: boolean;
}

/** With -c, fewer frames than this are not worth starting worker threads for. */
const MIN_PARALLEL_COUNT = 100_000;

const collect = (v: string, prev: string[] | undefined): string[] => [...(prev ?? []), v];

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
    .option('-j, --jobs <n>', 'dissect in n worker threads; "auto" (the default): two for the whole tree on two cores or more and files of 16 MB and more, else none; 1: none')
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

-j N dissects in N worker threads (the main thread reads and writes); the output is the same,
byte for byte. Each worker costs memory (some 20 to 30 MB; with -V one of them also keeps the
session state) and a start-up. By default (-j auto) the whole tree (-V, -T ek) of a file of
16 MB and more takes two workers when there are two cores or more; summary lines and fields
stay in one thread (their fast paths cost less than handing frames out), as do -c runs under
100,000 frames and standard input. -j 1 keeps everything in one thread. Runs that need one
thread stay in one: -w, -2, --debug, -T json, and under -Y whatever shows the time since the
previous displayed frame (-t dd, -V, frame.time_delta_displayed).

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
  const jobs = parseJobs(opts.jobs);
  const timeFmt = opts.t ?? 'r';
  if (!isTimeFormat(timeFmt)) throw new UsageError(`-t ${timeFmt}: unknown time format (expected ${TIME_FORMATS.join(', ')})`);
  if (format === 'fields' && opts.e.length === 0) throw new UsageError('-T fields needs at least one -e FIELD');
  if (opts.e.length > 0 && format === 'text') throw new UsageError('-e selects fields for -T fields, json or ek; add -T fields');
  if (opts.x && format !== 'text') throw new UsageError(`-x (hex dump) goes with the text output; it cannot be combined with -T ${format}`);
  parseFieldsOptions(opts.E); // usage errors before anything is read
  const writeTo = opts.w;
  const wFormat = opts.F ?? 'pcapng';
  const textWanted = writeTo === undefined || opts.P === true || opts.V === true || opts.x === true || explicitT;
  if (writeTo === '-' && textWanted) throw new UsageError('-w - writes the capture to standard output; it cannot be combined with -P, -V, -x or -T');
  const twoPass = opts['2'] === true;
  if (twoPass && file === '-') {
    throw new UsageError('-2 reads the capture twice, and standard input cannot be read twice: save the capture to a file and dissect that');
  }
  const filter = opts.Y !== undefined ? (await import('../../filter/index.js')).compileFilter(opts.Y) : undefined;

  // ------------------------------------------------------------------ writers
  const color = decideColor({ flag: opts.color });
  const chalk = makeChalk(color);
  const spec: RenderSpec = {
    format,
    fields: opts.e,
    fieldsOptions: opts.E,
    timeFormat: timeFmt as TimeFormat,
    summary: opts.P === true || (!opts.V && !opts.x),
    detail: opts.V === true,
    hex: opts.x === true,
    text: textWanted,
    colors: color.enabled && format === 'text' ? { error: escapes(chalk.red), warning: escapes(chalk.yellow) } : null,
  };
  const render = new Renderer(spec);
  const plan = await planRun(render, filter, twoPass);
  const sink = ByteSink.stdout();

  // ------------------------------------------------------------------ worker threads
  // Large files are dissected by worker threads when nothing in the run needs the frames one
  // after another in one thread (see parallelEligible); the output is the same, byte for byte.
  // (-j auto gives workers only to the whole tree: other runs do not load the worker code)
  const heavy = plan.materialise.output.want === null;
  if (writeTo === undefined && !twoPass && opts.debug !== true && jobs !== 1 && (jobs !== 'auto' || heavy)) {
    if (parallelBlocker(spec, render, filter) === null) {
      const { defaultJobs, dissectInWorkers, worthWorkers } = await import('../../output/parallel.js');
      const auto = jobs === 'auto';
      const workers = auto ? defaultJobs(heavy) : jobs;
      if (workers > 1 && (!auto || (worthWorkers(file) && (count === undefined || count >= MIN_PARALLEL_COUNT)))) {
        const job: DissectJob = { spec };
        if (opts.Y !== undefined) job.filter = opts.Y;
        // session fields: one correlator (worker 0's) notes each frame's attribution for all
        const notes = plan.session !== null ? (await import('../../sessions/run.js')).ATTR_WIDTH : 0;
        const r = await dissectInWorkers(file, {
          workers,
          workerUrl: new URL('./dissect-worker.js', import.meta.url),
          job,
          sink,
          count,
          begin: (out) => render.begin(out),
          end: (out) => render.end(out),
          notes,
          // the whole tree is some kilobytes a frame: smaller batches keep the texts in flight small
          batchRecords: heavy ? 256 : 2048,
        });
        printWarnings(r.warnings);
        if (r.error !== undefined) throw r.error;
        return;
      }
    }
  }

  const out = sink.out;
  let capWriter: CaptureWriter | null = null;
  let ifaceMap: number[] = [];
  let reader: CaptureReader | null = null;

  const onFrame = (f: Frame): Promise<void> | undefined => {
    const p = f.packet;
    if (capWriter !== null) {
      let iface = ifaceMap[p.interfaceId];
      if (iface === undefined) iface = mapLateInterface(reader!, p.interfaceId, p.linkType, ifaceMap, capWriter);
      capWriter.write(p.data, p.base, p.caplen, p.origlen, p.tsSec, p.tsNsec, iface, p.comments && p.comments.length ? p.comments.join('\n') : undefined);
    }
    if (!textWanted) return;
    render.frame(out, p);
    sink.maybeFlush();
    // a pipe that is slower than dissection: wait for it, rather than queueing text in memory
    if (sink.congested) return sink.drain();
  };

  // -2, pass 1: correlation only, into the hook's tracker (every frame, or the -c first ones;
  // no filter, no output), as `gretool sessions` correlates: the Extractor's mask, common data
  // frames through the fast path. A capture cut mid-file is correlated as far as it reads: pass
  // 2 prints those frames and reports the error.
  const session = plan.session;
  if (twoPass && session !== null) {
    const { correlateCapture } = await import('../../sessions/run.js');
    const r = await correlateCapture(file, { tracker: session.tracker, debug: opts.debug === true, ...(count !== undefined ? { count } : {}) });
    if (r.error !== undefined && !(r.error instanceof GretoolError)) throw r.error;
    session.beginSecondPass();
  }

  let failure: unknown = null;
  let started = false;
  try {
    const result = await dissectCapture(file, onFrame, {
      count,
      debug: opts.debug === true,
      filter,
      postDissectors: plan.hooks,
      materialise: plan.materialise,
      ...fastColumns(spec, filter, plan.hooks.length),
      onOpen: (r) => {
        reader = r;
        render.setPrecision(r.info);
        if (writeTo !== undefined) {
          const made = makeCaptureWriter(writeTo, wFormat, r);
          capWriter = made.writer;
          ifaceMap = made.map;
        }
        render.begin(out);
        started = true;
      },
      onChunk: async () => {
        if (reader) render.setPrecision(reader.info);
        await sink.drain();
        if (capWriter) await capWriter.drain();
      },
    });
    printWarnings(result.warnings);
  } catch (err) {
    failure = err;
  }
  // Everything read so far is printed before an input error is reported.
  try {
    if (started) render.end(out);
    await sink.drain();
  } finally {
    if (capWriter) await (capWriter as CaptureWriter).close();
  }
  if (failure !== null) throw failure;
}

/** The reader's warnings, on stderr after the output. */
function printWarnings(warnings: readonly CaptureWarning[]): void {
  for (const w of warnings) process.stderr.write(`gretool: warning: ${w.frame !== undefined ? `frame ${w.frame}: ` : ''}${w.message}\n`);
}

function parseJobs(s: string | undefined): number | 'auto' {
  if (s === undefined || s === 'auto') return 'auto';
  if (!/^[0-9]+$/.test(s) || Number(s) < 1 || Number(s) > 64) throw new UsageError(`-j ${s}: expected a number of worker threads (1 to 64) or "auto"`);
  return Number(s);
}

/**
 * Why a run must stay in one thread, or null when worker threads print the same output. Workers
 * know the previous captured frame of their batch but not the previous *displayed* one: with a
 * display filter, runs that show frame.time_delta_displayed (-t dd, the whole tree, or a field
 * or filter naming it) stay in one thread; so does -T json (its commas run across frames).
 */
function parallelBlocker(spec: RenderSpec, render: Renderer, filter: DisplayFilter | undefined): string | null {
  if (spec.format === 'json') return 'json';
  if (filter === undefined) return null;
  const dd = fieldByName('frame.time_delta_displayed')?.id ?? -1;
  if (spec.summary && spec.timeFormat === 'dd') return 'time since the previous displayed frame';
  if (spec.detail || (spec.format === 'ek' && render.fieldIds.length === 0)) return 'whole tree under a filter';
  if (render.fieldIds.includes(dd) || filter.fields.includes(dd)) return 'frame.time_delta_displayed under a filter';
  return null;
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
