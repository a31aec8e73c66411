/** Shared shapes for benchmarks: every bench returns rows, bench/run.ts prints and records them. */
import { spawn } from 'node:child_process';
import { existsSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';

function findRoot(start: string): string {
  let dir = start;
  while (!existsSync(join(dir, 'package.json'))) {
    const up = dirname(dir);
    if (up === dir) throw new Error('package.json not found above ' + start);
    dir = up;
  }
  return dir;
}

/** The repository root (from bench/ under tsx and from dist/bench/ when built). */
export const ROOT = findRoot(dirname(fileURLToPath(import.meta.url)));
/** The built CLI. */
export const BIN = join(ROOT, 'bin', 'gretool.js');

export interface BenchRow {
  bench: string;       // e.g. "read", "dissect summary"
  tool: string;        // "gretool" | "tshark" | "capinfos" ...
  frames: number;
  seconds: number;
  framesPerSec: number;
  peakRssMB: number | null;
  note?: string;
}

/** Runs a command, measuring wall time and peak RSS (via /usr/bin/time when present, else null). */
export async function timeCommand(
  cmd: string,
  args: string[],
  opts: { stdoutTo?: 'ignore' | 'pipe' } = {},
): Promise<{ seconds: number; peakRssMB: number | null; status: number; stdout: string }> {
  const useTime = await hasGnuTime();
  const argv = useTime ? ['-f', '%M', cmd, ...args] : args;
  const bin = useTime ? '/usr/bin/time' : cmd;
  const t0 = process.hrtime.bigint();
  return await new Promise((resolve, reject) => {
    const child = spawn(bin, argv, { stdio: ['ignore', opts.stdoutTo === 'pipe' ? 'pipe' : 'ignore', 'pipe'] });
    let stderr = '';
    let stdout = '';
    child.stderr?.on('data', (d) => (stderr += d));
    child.stdout?.on('data', (d) => (stdout += d));
    child.on('error', reject);
    child.on('close', (code) => {
      const seconds = Number(process.hrtime.bigint() - t0) / 1e9;
      let peakRssMB: number | null = null;
      if (useTime) {
        const lines = stderr.trim().split('\n');
        const kb = Number(lines[lines.length - 1]);
        if (Number.isFinite(kb)) peakRssMB = kb / 1024;
      }
      resolve({ seconds, peakRssMB, status: code ?? -1, stdout });
    });
  });
}

let gnuTime: boolean | undefined;
async function hasGnuTime(): Promise<boolean> {
  if (gnuTime !== undefined) return gnuTime;
  const { existsSync } = await import('node:fs');
  gnuTime = existsSync('/usr/bin/time');
  return gnuTime;
}

export function row(bench: string, tool: string, frames: number, seconds: number, peakRssMB: number | null, note?: string): BenchRow {
  return { bench, tool, frames, seconds, framesPerSec: frames / seconds, peakRssMB, note };
}

/** What one pass measured in a fresh process reports (printed as one JSON line on stdout). */
export interface PassResult {
  seconds: number;
  cpuSeconds: number;
  frames: number;
  peakRssMB: number;
  note?: string;
}

/**
 * Runs `work` once and prints its PassResult: the first pass of a fresh process, so the JIT
 * is as cold as a user's one run of the command (start-up and module loading not included).
 */
export async function printPass(work: () => Promise<{ frames: number; note?: string }>): Promise<void> {
  let peak = process.memoryUsage().rss;
  const sampler = setInterval(() => (peak = Math.max(peak, process.memoryUsage().rss)), 25);
  const c0 = process.cpuUsage();
  const t0 = process.hrtime.bigint();
  const r = await work();
  const seconds = Number(process.hrtime.bigint() - t0) / 1e9;
  const c = process.cpuUsage(c0);
  clearInterval(sampler);
  peak = Math.max(peak, process.memoryUsage().rss);
  const out: PassResult = { seconds, cpuSeconds: (c.user + c.system) / 1e6, frames: r.frames, peakRssMB: peak / 2 ** 20, note: r.note };
  process.stdout.write(JSON.stringify(out) + '\n');
}

/** Fresh processes behind a first-pass figure (its median): five, as one process can land on a busy moment of a shared machine. */
export const FRESH_RUNS = 5;

/**
 * Runs `node script ...args` `runs` times (each a fresh process that calls printPass) and
 * returns the passes sorted by wall time; the median is passes[runs >> 1].
 */
export async function freshPasses(script: string, args: string[], runs: number): Promise<PassResult[]> {
  const out: PassResult[] = [];
  for (let i = 0; i < runs; i++) {
    const r = await timeCommand(process.execPath, [script, ...args], { stdoutTo: 'pipe' });
    if (r.status !== 0) throw new Error(`${script} ${args.join(' ')} exited ${r.status}`);
    out.push(JSON.parse(r.stdout.trim().split('\n').pop()!) as PassResult);
  }
  return out.sort((a, b) => a.seconds - b.seconds);
}
