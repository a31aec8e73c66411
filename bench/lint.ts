/**
 * Lint throughput and memory: frames per second through capture reading + dissection + the
 * session correlator + every lint rule, and peak RSS. `benchLint(path)` measures a given capture:
 * the first pass of a fresh process (median of FRESH_RUNS processes, JIT cold: what one run meets,
 * with the V8 tuning of `gretool lint`, src/cli/v8-tuning.ts),
 * in-process (best of 3 runs, warm; findings must be bounded whatever the capture holds) and
 * through the built CLI (`gretool lint --format json`).
 *
 *   npx tsx bench/lint.ts [capture.pcap]
 *   node dist/bench/lint.js --pass capture      (one pass, JSON line: what benchLint runs FRESH_RUNS times)
 *
 * Without an argument it uses gretool-bench-lint.pcap in the temporary directory, generated when absent with the
 * generator's "mixed" scenario: 1,000,000 frames of 2,000 mobile nodes over IPv6/GRE,
 * IPv4/GRE and IPv4/UDP/TLV/GRE (`gretool generate mixed --packets 1000000 --sessions 2000`).
 */
import { existsSync } from 'node:fs';
import { setFlagsFromString } from 'node:v8';
import { runInNewContext } from 'node:vm';
import { join } from 'node:path';
import { tmpdir } from 'node:os';
import { fileURLToPath } from 'node:url';
import { FRESH_RUNS, freshPasses, printPass, row, timeCommand, type BenchRow } from './common.js';
import { lintCapture } from '../src/lint/run.js';
import { resolvePolicy } from '../src/lint/config.js';
import { BIN, ROOT } from '../test/helpers/cli.js';
import { withCorrelationTuning } from '../src/cli/v8-tuning.js';

/** Frames per second the linter must reach on a 1M-frame capture (issue 6). */
export const LINT_TARGET_FPS = 1_500_000;

/** A full garbage collection, also when node was started without --expose-gc. */
function collectGarbage(): void {
  if (typeof global.gc === 'function') return void global.gc();
  setFlagsFromString('--expose-gc');
  (runInNewContext('gc') as () => void)();
}

export async function benchLint(capturePath: string): Promise<BenchRow[]> {
  const rows: BenchRow[] = [];
  const passes = await freshPasses(fileURLToPath(import.meta.url), ['--pass', capturePath], FRESH_RUNS);
  const med = passes[FRESH_RUNS >> 1]!;
  rows.push(row('lint (read+dissect+correlate+rules, first pass of a fresh process)', 'gretool', med.frames, med.seconds, med.peakRssMB,
    `median of ${FRESH_RUNS} processes, with the CLI's V8 tuning (${passes.map((p) => p.seconds.toFixed(3)).join(', ')} s); CPU ${med.cpuSeconds.toFixed(3)} s; ${med.note}; target ${LINT_TARGET_FPS / 1e6}M frames/s`));
  const policy = resolvePolicy({ noConfig: true });
  let best = Infinity;
  let bestCpu = Infinity;
  let frames = 0;
  let findings = 0;
  let peak = 0;
  for (let run = 0; run < 3; run++) {
    collectGarbage(); // start clean: not the previous run's (or the previous bench's) garbage
    const sampler = setInterval(() => {
      peak = Math.max(peak, process.memoryUsage().rss);
    }, 25);
    const c0 = process.cpuUsage();
    const t0 = process.hrtime.bigint();
    const r = await withCorrelationTuning(() => lintCapture(capturePath, { policy }));
    const s = Number(process.hrtime.bigint() - t0) / 1e9;
    const c = process.cpuUsage(c0);
    bestCpu = Math.min(bestCpu, (c.user + c.system) / 1e6);
    clearInterval(sampler);
    peak = Math.max(peak, process.memoryUsage().rss);
    frames = r.frames;
    findings = r.findings.length;
    best = Math.min(best, s);
  }
  rows.push(row('lint (read+dissect+correlate+rules, in-process, best of 3)', 'gretool', frames, best, peak / 2 ** 20, `${findings} findings; CPU ${bestCpu.toFixed(3)} s = ${Math.round(frames / bestCpu)} frames/CPU-s; target ${LINT_TARGET_FPS / 1e6}M frames/s`));
  if (existsSync(join(ROOT, 'dist', 'src', 'cli', 'main.js'))) {
    const t = await timeCommand(process.execPath, [BIN, 'lint', capturePath, '--format', 'json', '--fail-on', 'none', '--no-config']);
    if (t.status === 0) rows.push(row('lint --format json (CLI, one run)', 'gretool', frames, t.seconds, t.peakRssMB));
  }
  return rows;
}

/**
 * Writes a benchmark capture with the generator: the "mixed" scenario scaled to `sessions`
 * mobile nodes and `packets` frames, with optional faults (e.g. ['gre-reserved0', 'wrong-dl-key']:
 * every uplink frame a packet finding, every session a downlink-key finding).
 */
export async function buildLintCapture(path: string, packets = 1_000_000, sessions = 2000, faults: string[] = []): Promise<number> {
  const { generateCapture, loadScenario } = await import('../src/generate/index.js');
  const st = await generateCapture(loadScenario('mixed'), path, { packets, sessions, seed: 1, faults });
  return st.frames;
}

// run directly: npx tsx bench/lint.ts [capture]
// (without an argument: the compliant capture, then a faulty one where every uplink frame breaks a
// packet rule and every session a data-plane rule: memory must stay bounded)
if (process.argv[1] && fileURLToPath(import.meta.url) === process.argv[1] && process.argv[2] === '--pass') {
  // one pass in this fresh process (freshPasses)
  void printPass(async () => {
    const r = await withCorrelationTuning(() => lintCapture(process.argv[3]!, { policy: resolvePolicy({ noConfig: true }) }));
    return { frames: r.frames, note: `${r.findings.length} findings` };
  });
} else if (process.argv[1] && fileURLToPath(import.meta.url) === process.argv[1]) {
  const given = process.argv[2];
  const runs: [string, string[]][] = given ? [[given, []]] : [[join(tmpdir(), 'gretool-bench-lint.pcap'), []], [join(tmpdir(), 'gretool-bench-lint-faulty.pcap'), ['gre-reserved0', 'wrong-dl-key']]];
  void (async () => {
    for (const [path, faults] of runs) {
      if (!existsSync(path)) {
        const t0 = Date.now();
        const n = await buildLintCapture(path, 1_000_000, 2000, faults);
        console.error(`built ${path}: ${n} frames${faults.length ? ` (faults ${faults.join(', ')})` : ''} in ${((Date.now() - t0) / 1000).toFixed(1)} s`);
      }
      for (const r of await benchLint(path)) {
        console.log(`${r.bench.padEnd(60)} ${String(r.frames).padStart(9)} frames ${r.seconds.toFixed(3).padStart(8)} s ${Math.round(r.framesPerSec).toString().padStart(9)} frames/s  peak RSS ${r.peakRssMB?.toFixed(0) ?? '?'} MB  ${r.note ?? ''}`);
      }
    }
  })();
}
