/**
 * `gretool generate NAME|FILE -o OUT`: writes a capture from a built-in scenario or a scenario
 * file, optionally with named faults, scaled to many sessions and frames. `--list` and
 * `--list-faults` show what is built in.
 */
import { Command, InvalidArgumentError, Option } from 'commander';
import type cliProgress from 'cli-progress';
import { UsageError } from '../../errors.js';
import { DEFAULT_START_SEC, faultRows, generateCapture, listScenarios, loadScenario, type CaptureOptions } from '../../generate/index.js';
import type { LinkKind } from '../../generate/model.js';
import { overrideFieldNames } from '../../generate/frames.js';

interface GenerateCliOptions {
  output?: string;
  list?: boolean;
  listFaults?: boolean;
  listFields?: boolean;
  json?: boolean;
  format?: 'pcap' | 'pcapng';
  nanosecond?: boolean;
  link: LinkKind;
  seed: number;
  start?: { sec: number; nsec: number };
  fault: string[];
  sessions?: number;
  duration?: number;
  packets?: number;
  progress: boolean;
  quiet?: boolean;
}

function positiveInt(name: string) {
  return (v: string): number => {
    if (!/^\d+$/.test(v) || Number(v) < 1 || !Number.isSafeInteger(Number(v))) throw new InvalidArgumentError(`${name} must be a positive integer`);
    return Number(v);
  };
}

function seedArg(v: string): number {
  if (!/^(0x[0-9a-f]+|\d+)$/i.test(v) || Number(v) > 0xffffffff) throw new InvalidArgumentError('the seed must be an integer 0..4294967295');
  return Number(v);
}

/** Seconds, or a number with a unit: 90, 90s, 1500ms, 2m, 1h. */
function durationArg(v: string): number {
  const m = /^(\d+(?:\.\d+)?)(ms|s|m|h)?$/.exec(v.trim());
  if (!m || Number(m[1]) <= 0) throw new InvalidArgumentError('expected a positive duration such as 60, 90s, 1500ms, 2m');
  return Number(m[1]) * { ms: 1e-3, s: 1, m: 60, h: 3600 }[m[2] ?? 's']!;
}

/**
 * A start time: epoch seconds ("1767225600", "1767225600.5") or an ISO 8601 date-time
 * ("2026-01-01T00:00:00Z", "2026-01-01 08:00:00.123456789+02:00"); without a zone it is UTC,
 * so the output never depends on the machine's time zone.
 */
export function parseStart(v: string): { sec: number; nsec: number } {
  const t = v.trim();
  let m = /^(\d+)(?:\.(\d{1,9}))?$/.exec(t);
  if (m) return { sec: Number(m[1]), nsec: Number((m[2] ?? '').padEnd(9, '0')) };
  m = /^(\d{4})-(\d\d)-(\d\d)(?:[T ](\d\d):(\d\d)(?::(\d\d)(?:\.(\d{1,9}))?)?)?\s*(Z|[+-]\d\d:?\d\d)?$/i.exec(t);
  if (!m) throw new InvalidArgumentError('expected epoch seconds or an ISO 8601 time such as 2026-01-01T00:00:00Z');
  const [, y, mo, d, h = '0', mi = '0', s = '0', frac = '', zone] = m;
  let sec = Date.UTC(Number(y), Number(mo) - 1, Number(d), Number(h), Number(mi), Number(s)) / 1000;
  if (!Number.isFinite(sec) || Number(mo) < 1 || Number(mo) > 12 || Number(d) < 1 || Number(d) > 31 || Number(h) > 23 || Number(mi) > 59 || Number(s) > 60) {
    throw new InvalidArgumentError(`invalid date-time "${v}"`);
  }
  if (zone && zone.toUpperCase() !== 'Z') {
    const zm = /^([+-])(\d\d):?(\d\d)$/.exec(zone)!;
    sec -= (zm[1] === '-' ? -1 : 1) * (Number(zm[2]) * 3600 + Number(zm[3]) * 60);
  }
  if (sec < 0 || sec > 0xffffffff) throw new InvalidArgumentError('the start time must lie between 1970 and 2106');
  return { sec, nsec: Number(frac.padEnd(9, '0')) };
}

function printScenarios(json: boolean): void {
  const list = listScenarios();
  if (json) {
    process.stdout.write(JSON.stringify(list.map((s) => ({ name: s.name, description: s.description })), null, 2) + '\n');
    return;
  }
  const w = Math.max(...list.map((s) => s.name.length));
  for (const s of list) process.stdout.write(`${s.name.padEnd(w)}  ${s.description}\n`);
}

function printFaults(json: boolean): void {
  const rows = faultRows();
  if (json) {
    process.stdout.write(JSON.stringify(rows.map((r) => ({ name: r.name, rule: r.rules[0], rules: r.rules, target: r.target, scenario: r.scenario, description: r.description })), null, 2) + '\n');
    return;
  }
  const wn = Math.max(...rows.map((r) => r.name.length));
  const wr = Math.max(...rows.map((r) => r.rules[0]!.length));
  for (const r of rows) {
    const also = r.rules.length > 1 ? ` (also ${r.rules.slice(1).join(', ')})` : '';
    process.stdout.write(`${r.name.padEnd(wn)}  ${r.rules[0]!.padEnd(wr)}  ${r.description}${also} [${r.target}; scenario ${r.scenario}]\n`);
  }
}

export function registerGenerate(program: Command): Command {
  return program
    .command('generate')
    .description('write a capture from a built-in scenario or a scenario file (faults, scale, determinism)')
    .argument('[scenario]', 'built-in scenario name (see --list) or a scenario file (.yaml / .json)')
    .option('-o, --output <file>', 'capture to write ("-" for stdout)')
    .option('--list', 'list the built-in scenarios, one line each')
    .option('--list-faults', 'list the named faults with the lint rule each one exercises')
    .option('--list-fields', 'list the header fields a scenario file can override (Wireshark names)')
    .option('--json', 'with --list / --list-faults: print JSON')
    .addOption(new Option('--format <format>', 'capture format (default: pcapng for a .pcapng file, else pcap)').choices(['pcap', 'pcapng']))
    .option('--nanosecond', 'nanosecond timestamps (pcap magic a1b23c4d / pcapng if_tsresol 9)')
    .addOption(new Option('--link <type>', 'link layer').choices(['ethernet', 'raw', 'sll']).default('ethernet'))
    .option('--seed <n>', 'seed of the random choices (keys, ports, ids, sequence numbers)', seedArg, 1)
    .option('--start <time>', 'time of the first event: ISO 8601 (UTC unless a zone is given) or epoch seconds (default 2026-01-01T00:00:00Z)', parseStart)
    .option('--fault <name>', 'apply a named fault wherever it applies (repeatable; see --list-faults)', (v: string, prev: string[]) => [...prev, v], [] as string[])
    .option('--sessions <n>', 'number of mobile nodes (the scenario’s are cloned with new identities, prefixes and keys)', positiveInt('--sessions'))
    .option('--duration <time>', 'stretch the timeline to this long (seconds, or 90s, 2m, ...)', durationArg)
    .option('--packets <n>', 'write exactly this many frames (the timeline is stretched as needed)', positiveInt('--packets'))
    .option('--no-progress', 'no progress bar on stderr (it is shown only on a terminal anyway)')
    .option('-q, --quiet', 'no summary line on stderr')
    .addHelpText(
      'after',
      `
Examples:
  gretool generate --list
  gretool generate handoff -o handoff.pcap
  gretool generate ipv4-udp-tlv -o tlv.pcapng --nanosecond --link sll --seed 7
  gretool generate initial-attach --fault wrong-ul-key -o bad-key.pcap
  gretool generate my-scenario.yaml -o out.pcap --start 2026-03-01T12:00:00Z
  gretool generate mixed --sessions 10000 --packets 1000000 -o bench.pcap

Same scenario, options and seed give byte-identical output.

Scenario files (YAML, or JSON) have: name, description, rfc, defaults {rtt, retry_delay,
lifetime}, nodes (MAGs and LMAs: role, ipv6, ipv4, mac; a MAG's transport ipv6|ipv4-udp,
gre keys|gre-only|none, tlv, force_udp, retry_on_163; an LMA's gre policy
accept|require|not-required|ignore, tlv, max_lifetime; gre_checksum, gre_sequence),
mobile_nodes (id, operator, hnp, iid, ipv4, ipv4_router, lma, att, cn4, cn6) and a timeline of
events (at; event attach|reregister|handoff|detach|traffic; mn; mag; gre; tlv; transport;
dl_key; lifetime; hi; response {status, ul_key, grekey, t, lifetime}; traffic: flows
[udp4, tcp6, icmp4, ... | all], rate, count or duration, size, direction, port), each with
overrides {pbu, pba | uplink, downlink: {FIELD: value}} (see --list-fields) and faults [...].
A fault that changes nothing where it is given (--fault, or on an event) is an error (exit 2).
The built-in scenarios are files in the package's scenarios/ directory: copy one and edit it.`,
    )
    .action(async (scenarioArg: string | undefined, opts: GenerateCliOptions) => {
      if (opts.list) return printScenarios(!!opts.json);
      if (opts.listFaults) return printFaults(!!opts.json);
      if (opts.listFields) {
        const names = overrideFieldNames();
        process.stdout.write(opts.json ? JSON.stringify(names, null, 2) + '\n' : names.join('\n') + '\n');
        return;
      }
      if (!scenarioArg) throw new UsageError('generate: name a scenario (see gretool generate --list) or a scenario file');
      if (!opts.output) throw new UsageError('generate: -o FILE is required ("-o -" writes to stdout)');
      if (opts.json) throw new UsageError('--json goes with --list, --list-faults or --list-fields');
      if (opts.output === '-' && process.stdout.isTTY) throw new UsageError('refusing to write a capture to a terminal: redirect stdout or give -o FILE');
      const sc = loadScenario(scenarioArg);
      const format = opts.format ?? (/\.pcapng(\.gz)?$/i.test(opts.output) ? 'pcapng' : 'pcap');
      const showProgress = opts.progress && !!process.stderr.isTTY;
      // the progress bar's module is loaded only when there is a terminal to show it on (start-up time)
      const progress = showProgress ? (await import('cli-progress')).default : undefined;
      let bar: cliProgress.SingleBar | undefined;
      let barTotal: number | undefined;
      const capOpts: CaptureOptions = {
        format,
        nanosecond: !!opts.nanosecond,
        link: opts.link,
        seed: opts.seed,
        startSec: opts.start?.sec ?? DEFAULT_START_SEC,
        startNsec: opts.start?.nsec ?? 0,
        faults: opts.fault,
        sessions: opts.sessions,
        duration: opts.duration,
        packets: opts.packets,
        onProgress: progress
          ? (n, total) => {
              if (!bar) {
                barTotal = total;
                bar = new progress.SingleBar(
                  {
                    stream: process.stderr,
                    format: total ? 'generate [{bar}] {percentage}% | {value}/{total} frames | {eta_formatted}' : 'generate {value} frames',
                    hideCursor: true,
                    clearOnComplete: true,
                  },
                  progress.Presets.shades_classic,
                );
                bar.start(total ?? 0, 0);
              }
              bar.update(barTotal ? Math.min(n, barTotal) : n);
            }
          : undefined,
      };
      const t0 = process.hrtime.bigint();
      try {
        const stats = await generateCapture(sc, opts.output === '-' ? '-' : opts.output, capOpts);
        const secs = Number(process.hrtime.bigint() - t0) / 1e9;
        bar?.stop();
        if (!opts.quiet) {
          const rate = secs > 0 ? ` in ${secs.toFixed(2)} s (${Math.round(stats.frames / secs).toLocaleString('en-US')} frames/s)` : '';
          const faults = opts.fault.length ? `, faults: ${opts.fault.join(', ')}` : '';
          process.stderr.write(
            `gretool: wrote ${stats.frames} frames (${stats.signalling} signalling, ${stats.data} data; ${stats.spanSeconds.toFixed(3)} s of traffic) to ${opts.output === '-' ? 'stdout' : opts.output}${faults}${rate}\n`,
          );
        }
      } catch (err) {
        bar?.stop();
        throw err;
      }
    });
}
