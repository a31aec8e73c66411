/**
 * `gretool generate` throughput: the benchmark capture itself (the `mixed` scenario stretched to
 * 10 000 mobile nodes and 1M frames: GRE-keyed data over IPv4 and IPv6, PBU/PBA, TLV), timed as
 * a process: once into `dir` (this is the capture the other benchmarks read), once into
 * /dev/null (the generator without the disk), and once as pcapng.
 */
import { rmSync } from 'node:fs';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { BIN as bin, ROOT as root, row, timeCommand, type BenchRow } from './common.js';


export async function benchGenerate(dir: string, frames = 1_000_000): Promise<BenchRow[]> {
  const rows: BenchRow[] = [];
  const base = ['generate', 'mixed', '--sessions', '10000', '--packets', String(frames), '--seed', '1', '-q'];
  const runs: [string, string[], string][] = [
    [`generate mixed → pcap file`, ['-o', join(dir, `mixed-${frames}.pcap`)], '10 000 sessions; the capture the other benchmarks read'],
    [`generate mixed → /dev/null`, ['-o', '/dev/null'], 'same, without the disk'],
    [`generate mixed → pcapng`, ['--format', 'pcapng', '-o', '/dev/null'], 'pcapng, without the disk'],
  ];
  for (const [name, extra, note] of runs) {
    // a new file, as a user generating a capture writes: the previous run's capture is removed
    // first (freeing its 650 MB is the file system's work, not writing)
    const out = extra[extra.indexOf('-o') + 1]!;
    if (out !== '/dev/null') rmSync(out, { force: true });
    const r = await timeCommand(process.execPath, [bin, ...base, ...extra]);
    if (r.status !== 0) throw new Error(`${name}: gretool exited with ${r.status}`);
    rows.push(row(name, 'gretool', frames, r.seconds, r.peakRssMB, note));
  }
  return rows;
}

// `node dist/bench/generate.js [DIR] [FRAMES]` runs it alone
if (process.argv[1] && fileURLToPath(import.meta.url) === process.argv[1]) {
  const dir = process.argv[2] ?? join(root, 'bench', 'out');
  const { mkdirSync } = await import('node:fs');
  mkdirSync(dir, { recursive: true });
  for (const r of await benchGenerate(dir, Number(process.argv[3] ?? 1_000_000))) {
    process.stdout.write(`${r.bench.padEnd(30)} ${r.frames} frames ${r.seconds.toFixed(2)} s ${Math.round(r.framesPerSec).toLocaleString('en-US')} frames/s peak ${r.peakRssMB?.toFixed(0) ?? '?'} MB  ${r.note ?? ''}\n`);
  }
}
