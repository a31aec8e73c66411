/**
 * `npm run bench`: every benchmark in one run on one generated 1M-frame capture of realistic
 * PMIPv6 traffic, with tshark/capinfos measured in the same run. Prints a table; with
 * `--record` also writes bench/RESULTS.md. Usage: node dist/bench/run.js [--record] [--frames N]
 * [--only read,dissect,filter,sessions,lint,generate] [--no-tshark]
 */
import { mkdirSync, writeFileSync, existsSync } from 'node:fs';
import { cpus, totalmem } from 'node:os';
import { join } from 'node:path';
import { spawnSync } from 'node:child_process';
import { BIN as bin, FRESH_RUNS, ROOT as root, type BenchRow } from './common.js';


function arg(name: string): string | undefined {
  const i = process.argv.indexOf(name);
  return i >= 0 ? process.argv[i + 1] : undefined;
}

async function main(): Promise<void> {
  const frames = Number(arg('--frames') ?? 1_000_000);
  const only = arg('--only')?.split(',');
  const want = (n: string) => !only || only.includes(n);
  const dir = join(root, 'bench', 'out');
  mkdirSync(dir, { recursive: true });
  const capture = join(dir, `mixed-${frames}.pcap`);
  const rows: BenchRow[] = [];

  if (want('generate') || !existsSync(capture)) {
    const { benchGenerate } = await import('./generate.js');
    rows.push(...(await benchGenerate(dir, frames)));
  }
  if (!existsSync(capture)) {
    const r = spawnSync(process.execPath, [bin, 'generate', 'mixed', '--sessions', '10000', '--packets', String(frames), '--seed', '1', '-o', capture], { stdio: 'inherit' });
    if (r.status !== 0) throw new Error('could not generate the benchmark capture');
  }
  if (want('read')) rows.push(...(await (await import('./read.js')).benchRead(dir, frames)));
  if (want('dissect')) rows.push(...(await (await import('./dissect.js')).benchDissect(capture, { tshark: !process.argv.includes('--no-tshark') })));
  if (want('filter')) rows.push(...(await (await import('./filter.js')).benchFilter(capture)));
  if (want('sessions')) rows.push(...(await (await import('./sessions.js')).benchSessions(capture)));
  if (want('lint')) rows.push(...(await (await import('./lint.js')).benchLint(capture)));

  const table = render(rows);
  process.stdout.write(table + '\n');
  if (process.argv.includes('--record')) {
    const machine = `${cpus().length} × ${cpus()[0]?.model ?? 'cpu'}, ${(totalmem() / 2 ** 30).toFixed(0)} GiB, Node ${process.version}`;
    const cmd = `npm run bench -- --record${frames !== 1_000_000 ? ` --frames ${frames}` : ''}`;
    writeFileSync(
      join(root, 'bench', 'RESULTS.md'),
      `# Benchmark results\n\nMade by \`${cmd}\` on ${new Date().toISOString().slice(0, 10)} (${machine}).\n` +
        `Capture: \`gretool generate mixed --sessions 10000 --packets ${frames} --seed 1\` (GRE-keyed data over IPv4 and IPv6, PBU/PBA, TLV).\n` +
        `tshark and capinfos ran in the same session on the same files; each dissect command (gretool's and\n` +
        `tshark's alike) is the best of 2 runs. Rows marked in-process run inside the\n` +
        `benchmark process (their peak RSS is that process's, shared by every in-process row); rows run as a\n` +
        `command carry the command's own peak RSS; rows marked "first pass of a fresh process" run the work once\n` +
        `in a new Node process (median of ${FRESH_RUNS} processes: the JIT as cold as in a user's one run; start-up and\n` +
        `module loading not counted, the command rows count them; sessions and lint with the V8 tuning their\n` +
        `commands set, src/cli/v8-tuning.ts). The machine has 2 cores; on it, timings of\n` +
        `the same build drift by some 10% between runs made minutes apart.\n\n${table}\n`,
    );
  }
}

function render(rows: BenchRow[]): string {
  const lines = ['| bench | tool | frames | seconds | frames/s | vs tshark/capinfos | peak RSS MB | note |', '|---|---|---:|---:|---:|---:|---:|---|'];
  for (const r of rows) {
    const ref = rows.find((o) => o.bench === r.bench && (o.tool === 'tshark' || o.tool === 'capinfos'));
    const ratio = ref && r !== ref ? (r.framesPerSec / ref.framesPerSec).toFixed(1) + '×' : '';
    lines.push(`| ${r.bench} | ${r.tool} | ${r.frames} | ${r.seconds.toFixed(3)} | ${Math.round(r.framesPerSec).toLocaleString('en-US')} | ${ratio} | ${r.peakRssMB === null ? '' : r.peakRssMB.toFixed(0)} | ${r.note ?? ''} |`);
  }
  return lines.join('\n');
}

main().catch((e) => {
  process.stderr.write(`bench: ${e instanceof Error ? e.message : String(e)}\n`);
  process.exit(1);
});
