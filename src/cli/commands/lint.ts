/**
 * `gretool lint FILE...|-`: checks captures against the RFC 5845 rule catalog (packet rules from
 * the dissectors' expert items, pair/session rules on the session correlator) and prints the
 * findings grouped by rule, then a summary; `--format json|junit|sarif` for machines. Exit 1
 * when a finding is at or above --fail-on (default error), 3 when a capture could not be read
 * completely (after the report), 2 for usage errors (unknown rule ids included).
 */
import { createWriteStream } from 'node:fs';
import { Option, type Command } from 'commander';
import cliProgress from 'cli-progress';
import { colorFlag, decideColor, makeChalk, tableStyle } from '../color.js';
import { EXIT } from '../exit-codes.js';
import { GretoolError, OutputError, UsageError } from '../../errors.js';
import { FAIL_ON, parseFailOn, parseSeverityAssignments, resolvePolicy, type LintPolicy } from '../../lint/config.js';
import { lintCaptures } from '../../lint/run.js';
import { withCorrelationTuning } from '../v8-tuning.js';
import { FINDING_CAP, FRAME_CAP } from '../../lint/engine.js';
import { lintTextChunks } from '../../lint/format/text.js';
import { lintJsonChunks } from '../../lint/format/json.js';
import { lintJunitChunks } from '../../lint/format/junit.js';
import { lintSarifChunks } from '../../lint/format/sarif.js';
import { writeChunks } from '../../output/jsonstream.js';
import { ruleRows, rulesMarkdown, rulesTable } from '../../lint/format/rules.js';

type Format = 'text' | 'json' | 'junit' | 'sarif' | 'table' | 'markdown';

interface LintOptions {
  format?: Format;
  output?: string;
  failOn?: string;
  disable: string[];
  enable: string[];
  severity: string[];
  config?: string | false;
  listRules?: boolean;
  color?: boolean;
  progress: boolean;
  debug?: boolean;
  jobs?: string;
}

const collect = (v: string, prev: string[]): string[] => [...prev, v];

/** Progress on stderr, only on a TTY and once the run has lasted half a second. */
function progressBar(enabled: boolean, files: readonly string[]) {
  if (!enabled || !process.stderr.isTTY) return { update: () => undefined, stop: () => undefined };
  const t0 = Date.now();
  let bar: cliProgress.SingleBar | null = null;
  let current = -1;
  return {
    update(index: number, frames: number, pos: number, size: number | undefined) {
      if (Date.now() - t0 < 500) return;
      if (bar === null || index !== current) {
        bar?.stop();
        current = index;
        const label = files.length > 1 ? `linting ${index + 1}/${files.length}` : 'linting';
        bar = new cliProgress.SingleBar(
          {
            stream: process.stderr,
            format: size ? `${label} [{bar}] {percentage}% | {frames} frames | {eta_formatted}` : `${label} {frames} frames`,
            hideCursor: true,
            clearOnComplete: true,
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

/**
 * Writes the report, piece by piece with back-pressure (the report never exists as one string),
 * to stdout or to a file; a file that cannot be created or written is an output error (exit 4).
 */
async function emit(chunks: Iterable<string>, output: string | undefined): Promise<void> {
  if (output === undefined || output === '-') {
    await writeChunks(chunks, process.stdout);
    return;
  }
  const ws = createWriteStream(output);
  let failure: Error | undefined;
  ws.on('error', (e) => {
    failure ??= e;
  });
  const closed = new Promise<void>((resolve) => ws.once('close', () => resolve()));
  try {
    await writeChunks(chunks, ws);
  } catch (e) {
    failure ??= e as Error;
  }
  if (failure === undefined) ws.end();
  else ws.destroy();
  await closed;
  if (failure !== undefined) throw new OutputError(`cannot write ${output}: ${failure.message}`, { cause: failure });
}

export async function runLint(files: string[], opts: LintOptions): Promise<void> {
  const cli: LintPolicy = {
    disable: opts.disable,
    enable: opts.enable,
    severity: parseSeverityAssignments(opts.severity),
  };
  if (opts.failOn !== undefined) cli.failOn = parseFailOn(opts.failOn, '--fail-on');
  const policy = resolvePolicy({
    ...(typeof opts.config === 'string' ? { configFile: opts.config } : {}),
    noConfig: opts.config === false,
    cli,
  });
  const choice = decideColor({ flag: colorFlag(opts), isTTY: opts.output === undefined || opts.output === '-' ? process.stdout.isTTY === true : false });
  if (opts.listRules) {
    const fmt = opts.format ?? 'table';
    if (fmt === 'json') return emit([JSON.stringify(ruleRows(policy), null, 2) + '\n'], opts.output);
    if (fmt === 'markdown') return emit([rulesMarkdown()], opts.output);
    if (fmt === 'table' || fmt === 'text') return emit([rulesTable(policy, makeChalk(choice), tableStyle(choice))], opts.output);
    throw new UsageError(`--list-rules prints --format table, json or markdown, not ${fmt}`);
  }
  if (files.length === 0) throw new UsageError('lint needs at least one capture file ("-" for stdin), or --list-rules');
  if (files.filter((f) => f === '-').length > 1) throw new UsageError('stdin ("-") can be read only once');
  const fmt = opts.format ?? 'text';
  if (fmt === 'table' || fmt === 'markdown') throw new UsageError(`--format ${fmt} is for --list-rules; lint reports are text, json, junit or sarif`);
  const jobs = opts.jobs === undefined ? 1 : Number(opts.jobs);
  if (!Number.isInteger(jobs) || jobs < 1) throw new UsageError(`--jobs must be a positive integer, got "${opts.jobs}"`);
  const progress = progressBar(opts.progress && jobs === 1, files);
  let report;
  try {
    report = await withCorrelationTuning(() => lintCaptures(files, { policy, debug: opts.debug ?? false, onProgress: progress.update, jobs }));
  } finally {
    progress.stop();
  }
  // nothing could be read at all: an input error, as for the other commands
  if (report.captures.every((c) => c.error !== undefined && c.frames === 0) && report.captures.length === 1) {
    const e = report.captures[0]!.error!;
    throw new GretoolError(e.code as GretoolError['code'], e.message);
  }
  for (const c of report.captures) for (const w of c.warnings) process.stderr.write(`gretool: warning: ${c.capture}: ${w}\n`);
  const chunks =
    fmt === 'json' ? lintJsonChunks(report) : fmt === 'junit' ? lintJunitChunks(report) : fmt === 'sarif' ? lintSarifChunks(report) : lintTextChunks(report, makeChalk(choice));
  await emit(chunks, opts.output);
  for (const c of report.captures) if (c.error && fmt !== 'text') process.stderr.write(`gretool: ${c.error.message}\n`);
  if (report.summary.inputErrors > 0) {
    if (fmt === 'text') for (const c of report.captures) if (c.error) process.stderr.write(`gretool: ${c.error.message}\n`);
    process.exitCode = EXIT.INPUT;
  } else if (report.summary.failed) process.exitCode = EXIT.LINT_FINDINGS;
}

export function registerLint(program: Command): Command {
  return program
    .command('lint')
    .description('check captures against the RFC 5845 rule catalog (packet, pair and session rules); exit 1 on findings at or above --fail-on')
    .argument('[files...]', 'capture files (pcap, pcapng, gzip-compressed; "-" for stdin), linted one after another into one report')
    .addOption(new Option('--format <format>', 'report format (text, json, junit, sarif); with --list-rules: table, json, markdown').choices(['text', 'json', 'junit', 'sarif', 'table', 'markdown']))
    .option('-o, --output <file>', 'write the report to a file instead of stdout')
    .addOption(new Option('--fail-on <level>', 'exit 1 when a finding has this severity or a higher one (default: error)').choices([...FAIL_ON]))
    .option('--disable <rules>', 'disable rules (ids or patterns like "G-*", comma-separated; repeatable)', collect, [])
    .option('--enable <rules>', 'enable rules again (after --disable and the config file; repeatable)', collect, [])
    .option('--severity <RULE=LEVEL>', 'change a rule\'s severity (error, warning, info; repeatable)', collect, [])
    .option('--config <file>', 'read the lint policy from this JSON file (default: ./.gretool.json when present)')
    .option('--no-config', 'ignore ./.gretool.json')
    .option('-j, --jobs <n>', 'lint up to n captures at the same time, in worker threads (default 1)')
    .option('--list-rules', 'print the rules (id, severity, scope, RFC section, summary) and exit')
    .option('--color', 'colour the report (default: only on a terminal; NO_COLOR / FORCE_COLOR respected)')
    .option('--no-color', 'never colour')
    .option('--no-progress', 'no progress bar on stderr (it is shown only on a terminal anyway)')
    .option('--debug', 'rethrow dissector bugs with their stack')
    .addHelpText(
      'after',
      `
Policy file (.gretool.json in the current directory, or --config FILE):
  { "lint": { "failOn": "warning", "disable": ["P-BU-RESERVED-FLAGS"], "enable": [],
              "severity": { "S-DUP-DL-KEY": "error" } } }
The command line is applied after the file. Unknown rule ids are usage errors (exit 2).
Exit status: 0 no finding at or above --fail-on; 1 findings at or above it; 3 a capture could not
be read completely (the report covers what was read). Each rule keeps at most ${FINDING_CAP.toLocaleString('en-US')}
findings per capture (${FRAME_CAP.toLocaleString('en-US')} frame numbers each); the summary counts the findings past that as
"dropped". Rule reference: gretool lint --list-rules, docs/lint.md.`,
    )
    .action(async (files: string[], opts: LintOptions) => {
      await runLint(files, opts);
    });
}
