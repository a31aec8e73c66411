/**
 * `gretool sessions FILE|-`: the binding table (one row per mobility session: MN, home
 * address, MAG, LMA, transport, GRE mode, keys, TLV, state, lifetime, traffic, history), then the
 * tunnelled traffic no binding claims, unanswered PBUs and unsolicited PBAs.
 * `--format json` follows docs/sessions-schema.md; `--format csv` prints one table.
 */
import { Option, type Command } from 'commander';
import cliProgress from 'cli-progress';
import { colorFlag, decideColor, makeChalk, tableStyle } from '../color.js';
import { correlateCapture } from '../../sessions/run.js';
import { withCorrelationTuning } from '../v8-tuning.js';
import { sessionsCsv, sessionsJson, sessionsJsonChunks, sessionsTextLines, type CsvTable } from '../../sessions/report.js';
import { writeChunks } from '../../output/jsonstream.js';

interface SessionsOptions {
  format: 'table' | 'json' | 'csv';
  /** Table: every binding column. */
  wide?: boolean;
  csvTable: CsvTable;
  color?: boolean;
  progress: boolean;
  debug?: boolean;
}

/** A progress bar on stderr, shown only on a TTY and only once a run has lasted a moment. */
function progressReporter(enabled: boolean): { update: (frames: number, pos: number, size: number | undefined) => void; stop: () => void } {
  if (!enabled || !process.stderr.isTTY) return { update: () => undefined, stop: () => undefined };
  const t0 = Date.now();
  let bar: cliProgress.SingleBar | null = null;
  return {
    update(frames, pos, size) {
      if (bar === null) {
        if (Date.now() - t0 < 500) return;
        bar = new cliProgress.SingleBar(
          {
            stream: process.stderr,
            format: size ? 'correlating [{bar}] {percentage}% | {frames} frames | {eta_formatted}' : 'correlating {frames} frames',
            hideCursor: true,
            clearOnComplete: true,
            noTTYOutput: false,
          },
          cliProgress.Presets.shades_classic,
        );
        bar.start(size ?? 1, 0, { frames: 0 });
      }
      bar.update(size ? Math.min(pos, size) : 0, { frames });
    },
    stop() {
      bar?.stop();
    },
  };
}

/** The lines of a report, each with its newline (for writeChunks). */
function* withNewlines(lines: Iterable<string>): Generator<string> {
  for (const line of lines) yield line + '\n';
}

export async function runSessions(file: string, opts: SessionsOptions): Promise<void> {
  const progress = progressReporter(opts.progress);
  let result;
  try {
    result = await withCorrelationTuning(() => correlateCapture(file, { onProgress: progress.update, debug: opts.debug ?? false }));
  } finally {
    progress.stop();
  }
  for (const w of result.warnings) process.stderr.write(`gretool: warning: ${w.frame ? `frame ${w.frame}: ` : ''}${w.message}\n`);
  if (opts.format === 'json') await writeChunks(sessionsJsonChunks(result.correlator), process.stdout);
  else if (opts.format === 'csv') await writeChunks([sessionsCsv(sessionsJson(result.correlator), opts.csvTable)], process.stdout);
  else {
    const choice = decideColor({ flag: colorFlag(opts) });
    await writeChunks(withNewlines(sessionsTextLines(sessionsJson(result.correlator), makeChalk(choice), tableStyle(choice), { wide: opts.wide === true })), process.stdout);
  }
  // a capture cut mid-record: everything read was reported; now the input error (exit 3)
  if (result.error !== undefined) throw result.error;
}

export function registerSessions(program: Command): Command {
  return program
    .command('sessions')
    .description('correlate PBU/PBA pairs and tunnelled data into bindings: MN, MAG, LMA, GRE keys, mode, traffic')
    .argument('<file>', 'capture file (pcap, pcapng, gzip-compressed; "-" for stdin)')
    .addOption(new Option('--format <format>', 'output format').choices(['table', 'json', 'csv']).default('table'))
    .addOption(
      new Option('--csv-table <table>', 'which table --format csv prints')
        .choices(['bindings', 'unattributed', 'unanswered', 'unsolicited'])
        .default('bindings'),
    )
    .option('--wide', 'table: every binding column (home addresses, TLV, lifetime, bytes, sequence gaps, history)')
    .option('--color', 'colour the tables (default: only on a terminal; NO_COLOR / FORCE_COLOR respected)')
    .option('--no-color', 'never colour')
    .option('--no-progress', 'no progress bar on stderr (it is shown only on a terminal anyway)')
    .option('--debug', 'rethrow dissector bugs with their stack')
    .addHelpText(
      'after',
      `
Bindings follow RFC 5213's binding cache entry with the RFC 5845 fields: one binding is one MN
identifier at one LMA; a handoff keeps it (MAG updated, history shows the move), registering again
after an accepted de-registration or after expiry starts a new one. Data frames are attributed by
tunnel endpoints (direction: uplink MAG to LMA, downlink LMA to MAG), GRE key and inner address.
JSON schema: docs/sessions-schema.md.`,
    )
    .action(async (file: string, opts: SessionsOptions) => {
      await runSessions(file, opts);
    });
}
