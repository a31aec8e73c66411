/**
 * `gretool generate` as a library: built-in scenarios (the files in scenarios/, shipped with the
 * package), scenario files, faults, scale, and writing the capture.
 *
 *   const sc = loadScenario('handoff');                 // or a path to a .yaml / .json file
 *   await generateCapture(sc, 'handoff.pcap', { seed: 7, faults: ['wrong-ul-key'] });
 */
import { existsSync, readdirSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { createCaptureWriter, LINKTYPE_ETHERNET, LINKTYPE_LINUX_SLL, LINKTYPE_RAW } from '../capture/index.js';
import type { CaptureFormat } from '../capture/types.js';
import { GretoolError, UsageError } from '../errors.js';
import { countFrames, Engine, scenarioEnd, type FrameSink, type GenerateOptions, type GenerateStats } from './engine.js';
import { FAULTS, faultByName, isSessionFault } from './faults.js';
import type { LinkKind, Scenario } from './model.js';
import { loadScenarioFile, parseScenario } from './scenario.js';
import { createFileFrameWriter } from './output.js';

export { FAULTS, faultByName, parseScenario, loadScenarioFile };
export type { GenerateOptions, GenerateStats, Scenario };
export { DEFAULT_START_SEC } from './engine.js';

function packageRoot(): string {
  let dir = dirname(fileURLToPath(import.meta.url));
  for (;;) {
    if (existsSync(join(dir, 'package.json')) && existsSync(join(dir, 'scenarios'))) return dir;
    const up = dirname(dir);
    if (up === dir) throw new GretoolError('SCENARIO', 'cannot find the built-in scenarios directory (scenarios/)');
    dir = up;
  }
}

/** Directory of the built-in scenario files. */
export function scenariosDir(): string {
  return join(packageRoot(), 'scenarios');
}

export interface ScenarioInfo {
  name: string;
  description: string;
  rfc: string;
  file: string;
}

/** The built-in scenarios, sorted by name. */
export function listScenarios(): ScenarioInfo[] {
  const dir = scenariosDir();
  return readdirSync(dir)
    .filter((f) => f.endsWith('.yaml'))
    .sort()
    .map((f) => {
      const sc = loadScenarioFile(join(dir, f), `scenarios/${f}`);
      return { name: sc.name, description: sc.description, rfc: sc.rfc, file: join(dir, f) };
    });
}

/** A built-in scenario by name, or a scenario file by path. */
export function loadScenario(nameOrFile: string): Scenario {
  const looksLikeFile = /\.(ya?ml|json)$/i.test(nameOrFile) || nameOrFile.includes('/') || nameOrFile.includes('\\');
  if (looksLikeFile) {
    if (!existsSync(nameOrFile)) throw new GretoolError('SCENARIO', `scenario file ${nameOrFile} does not exist`);
    return loadScenarioFile(nameOrFile);
  }
  const file = join(scenariosDir(), `${nameOrFile}.yaml`);
  if (!existsSync(file)) {
    const names = listScenarios().map((s) => s.name);
    throw new UsageError(`unknown scenario "${nameOrFile}" (built-in: ${names.join(', ')}; or give a .yaml/.json file)`);
  }
  return loadScenarioFile(file, `scenarios/${nameOrFile}.yaml`);
}

export const LINK_TYPES: Record<LinkKind, number> = { ethernet: LINKTYPE_ETHERNET, raw: LINKTYPE_RAW, sll: LINKTYPE_LINUX_SLL };

export interface CaptureOptions extends GenerateOptions {
  format?: CaptureFormat;
  nanosecond?: boolean;
  /** Called with the number of frames written so far (and the planned total, when known). */
  onProgress?: (frames: number, total: number | undefined) => void;
}

export interface Plan {
  stretch: number;
  dataBudget?: number;
  /** Frames the run will write, when --packets fixes it. */
  total?: number;
}

/** How much to stretch the timeline for --duration / --packets, and the data budget. */
export async function planRun(sc: Scenario, opts: GenerateOptions): Promise<Plan> {
  const end = scenarioEnd(sc);
  let stretch = 1;
  if (opts.duration !== undefined) {
    if (!(opts.duration > 0)) throw new UsageError('--duration must be a positive number of seconds');
    stretch = end > 0 ? (opts.duration * 1e9) / end : 1;
  }
  if (opts.packets === undefined) return { stretch };
  if (!(Number.isInteger(opts.packets) && opts.packets > 0)) throw new UsageError('--packets must be a positive integer');
  // Signalling frames do not grow with the stretch; count them (and the data) on one copy of
  // each mobile node, then scale to the requested number of sessions.
  const bases = sc.mobileNodes.size;
  const sessions = opts.sessions ?? bases;
  const one = await countFrames(sc, { ...opts, sessions: bases, duration: undefined }, stretch);
  const per = sessions / bases;
  const sig = Math.round(one.signalling * per);
  const budget = Math.max(0, opts.packets - sig);
  if (opts.duration === undefined) {
    // Data frames grow with the stretch k (rounds = ⌈count·k⌉ per flow, handshakes do not grow).
    // Scale the analytic count by the share the dry run actually wrote (frames of a session that
    // is not bound are skipped), and find the smallest k that gives the budget, plus 1%.
    const a1 = analyticData(sc, sessions, 1);
    const share = a1 > 0 ? (one.data * per) / a1 : 0;
    if (share > 0 && share * a1 < budget) {
      let lo = 1;
      let hi = 2;
      while (share * analyticData(sc, sessions, hi) < budget * 1.01) hi *= 2;
      for (let i = 0; i < 50; i++) {
        const mid = (lo + hi) / 2;
        if (share * analyticData(sc, sessions, mid) < budget * 1.01) lo = mid;
        else hi = mid;
      }
      stretch = hi;
    }
  }
  return { stretch, dataBudget: budget, total: opts.packets };
}

/** Data frames of the scenario at stretch k if every flow step found its session bound. */
function analyticData(sc: Scenario, sessions: number, k: number): number {
  const bases = [...sc.mobileNodes.keys()];
  let total = 0;
  bases.forEach((name, b) => {
    const clones = Math.floor((sessions - b - 1) / bases.length) + 1;
    if (clones <= 0) return;
    let frames = 0;
    for (const ev of sc.timeline) {
      if (ev.kind !== 'traffic' || ev.mn !== name) continue;
      for (const f of ev.flows) {
        const perRound = f.proto === 'udp' ? (f.direction === 'both' ? 2 : 1) : f.proto === 'icmp' ? 2 : f.direction === 'both' ? 2 : 1;
        frames += (f.proto === 'tcp' ? 3 : 0) + Math.max(1, Math.ceil(f.count * k - 1e-9)) * perRound;
      }
    }
    total += frames * clones;
  });
  return total;
}

/** Runs the generator into any sink (a CaptureWriter, or a counter). */
export async function runGenerator(sc: Scenario, sink: FrameSink, opts: GenerateOptions, plan?: Plan, onProgress?: (frames: number) => void): Promise<GenerateStats> {
  const p = plan ?? (await planRun(sc, opts));
  const engine = new Engine(sc, sink, opts, { stretch: p.stretch, dataBudget: p.dataBudget, frameLimit: p.total });
  if (onProgress) engine.onProgress = onProgress;
  const stats = await engine.run();
  return stats;
}

/** Faults requested but not applicable anywhere in the scenario. */
export function unusedFaults(requested: readonly string[], stats: GenerateStats): string[] {
  return requested.filter((f) => !stats.faultsApplied.has(f));
}

const TARGET_TEXT: Record<string, string> = { pbu: 'PBUs', pba: 'PBAs', uplink: 'uplink packets', downlink: 'downlink packets', data: 'data packets' };

/**
 * Checks fault names and that each one applies somewhere in the scenario (a quick dry run, before
 * anything is written). A fault that applies nowhere is a usage error; when frames were due for
 * it but lack what it changes (a GRE checksum, a GRE header another fault removed, ...), the
 * message names that. So is a fault named on an event of the scenario file that changes none of
 * the frames (a SCENARIO error at the event's line).
 */
export async function checkFaults(sc: Scenario, opts: GenerateOptions): Promise<void> {
  const faults = opts.faults ?? [];
  const onEvents = sc.timeline.filter((ev) => ev.faults.length > 0);
  if (faults.length === 0 && onEvents.length === 0) return;
  for (const name of faults) {
    if (!faultByName(name)) throw new UsageError(`unknown fault "${name}" (see gretool generate --list-faults)`);
  }
  const bases = sc.mobileNodes.size;
  const dry = { ...opts, sessions: Math.max(bases, Math.min(opts.sessions ?? bases, 2 * bases)), packets: undefined, duration: undefined };
  const stats = await countFrames(sc, dry, 1);
  for (const ev of onEvents) {
    for (const name of ev.faults) {
      if (stats.faultsApplied.has(name)) continue;
      const f = faultByName(name)!;
      const need = stats.faultsUnmet.get(name);
      const why = need !== undefined ? `it needs ${TARGET_TEXT[f.target] ?? 'frames'} with ${need}, and the event has none` : `the event has no frame it changes`;
      throw new GretoolError('SCENARIO', `${sc.source}:${ev.pos.line}:${ev.pos.col}: fault "${name}" on this ${ev.kind} event changes nothing: ${why}`);
    }
  }
  const unused = unusedFaults(faults, stats);
  if (unused.length === 0) return;
  const messages: string[] = [];
  const nowhere = unused.filter((n) => !stats.faultsUnmet.has(n));
  if (nowhere.length) {
    const hints = nowhere.map((n) => {
      const f = faultByName(n)!;
      return `"${n}" (${f.description}; try scenario ${f.scenario})`;
    });
    messages.push(`fault${nowhere.length > 1 ? 's' : ''} ${hints.join(', ')} do${nowhere.length > 1 ? '' : 'es'} not apply anywhere in scenario "${sc.name}"`);
  }
  for (const n of unused) {
    const need = stats.faultsUnmet.get(n);
    if (need === undefined) continue;
    const f = faultByName(n)!;
    const head = `fault ${n} needs ${TARGET_TEXT[f.target] ?? 'frames'} with ${need}`;
    // the faults given before it change the frames first: do they take away what it needs?
    const before = faults.slice(0, faults.indexOf(n));
    const alone = before.length ? (await countFrames(sc, { ...dry, faults: [n] }, 1)).faultsApplied.has(n) : false;
    if (alone) messages.push(`${head}; scenario "${sc.name}" has them, but ${before.map((x) => `--fault ${x}`).join(', ')} (given before it) leave${before.length > 1 ? '' : 's'} none`);
    else messages.push(`${head}; scenario "${sc.name}" has none${f.scenario !== sc.name ? ` (try scenario ${f.scenario})` : ''}`);
  }
  throw new UsageError(messages.join('; '));
}

/** Generates a capture file (or '-' for stdout, or a stream). */
export async function generateCapture(sc: Scenario, dest: string | NodeJS.WritableStream, opts: CaptureOptions = {}): Promise<GenerateStats> {
  if (opts.sessions !== undefined && !(Number.isInteger(opts.sessions) && opts.sessions > 0)) throw new UsageError('--sessions must be a positive integer');
  await checkFaults(sc, opts);
  const plan = await planRun(sc, opts);
  const format = opts.format ?? 'pcap';
  const nanosecond = opts.nanosecond ?? false;
  const linkType = LINK_TYPES[opts.link ?? 'ethernet'];
  // a file gets the generator's own record writer (./output.ts, same bytes), stdout and streams the shared one
  const writer: FrameSink & { close(): Promise<void> } =
    typeof dest === 'string' && dest !== '-'
      ? await createFileFrameWriter(dest, { format, nanosecond, linkType })
      : createCaptureWriter(dest, { format, nanosecond, interfaces: [{ linkType }] });
  try {
    const stats = await runGenerator(sc, writer, opts, plan, opts.onProgress ? (n) => opts.onProgress!(n, plan.total) : undefined);
    return stats;
  } finally {
    await writer.close();
  }
}

/** The fault catalog as plain rows (for --list-faults and the README). */
export function faultRows(): { name: string; rules: string[]; target: string; scenario: string; description: string }[] {
  return FAULTS.map((f) => ({ name: f.name, rules: [...f.rules], target: f.target, scenario: f.scenario, description: f.description }));
}

export { isSessionFault };
