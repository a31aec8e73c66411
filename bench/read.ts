/**
 * Capture reader / writer throughput. Writes a capture of `frames` records (60–1500 bytes, a
 * realistic mix of small and full-size packets) with gretool's writer, then reads it with
 * gretool's reader in-process, with `gretool info` as a process, and with `capinfos -c`.
 *
 *   npm run build && node dist/bench/read.js [frames]
 */
import { spawnSync } from 'node:child_process';
import { mkdtempSync, rmSync, statSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { pathToFileURL } from 'node:url';
import { createCaptureWriter, forEachRecord, openCapture, type CaptureFormat } from '../src/capture/index.js';
import { BIN, row, timeCommand, type BenchRow } from './common.js';


/** Deterministic packet sizes: 50% small (60–200), 30% near-MTU (1400–1500), 20% anything. */
function sizeAt(seed: number): number {
  const r = (Math.imul(seed ^ 0x9e3779b9, 0x85ebca6b) >>> 0) / 4294967296;
  const s = (Math.imul(seed + 0x632be5ab, 0xc2b2ae35) >>> 0) / 4294967296;
  if (r < 0.5) return 60 + Math.floor(s * 141);
  if (r < 0.8) return 1400 + Math.floor(s * 101);
  return 60 + Math.floor(s * 1441);
}

/** Writes the benchmark capture; resolves to the time taken. `small`: 64–127-byte records. */
async function writeCapture(path: string, format: CaptureFormat, nanosecond: boolean, frames: number, small = false): Promise<{ seconds: number }> {
  const payload = new Uint8Array(2048);
  for (let i = 0; i < payload.length; i++) payload[i] = (i * 31 + 7) & 0xff;
  const t0 = process.hrtime.bigint();
  const w = createCaptureWriter(path, { format, nanosecond, interfaces: [{ linkType: 1 }] });
  let sec = 1_700_000_000;
  let nsec = 0;
  for (let i = 0; i < frames; i++) {
    nsec += 1234567 + (i % 1000);
    if (nsec >= 1e9) {
      nsec -= 1e9;
      sec++;
    }
    const len = small ? 64 + (i & 63) : sizeAt(i);
    w.write(payload, i & 63, len, len, sec, nanosecond ? nsec : nsec - (nsec % 1000));
  }
  await w.close();
  return { seconds: Number(process.hrtime.bigint() - t0) / 1e9 };
}

/** Reads the capture in-process; resolves to seconds and the record count. */
async function readInProcess(path: string): Promise<{ seconds: number; frames: number; bytes: number }> {
  const t0 = process.hrtime.bigint();
  const reader = await openCapture(path);
  let bytes = 0;
  const frames = await forEachRecord(reader, (r) => {
    bytes += r.caplen;
  });
  await reader.close();
  return { seconds: Number(process.hrtime.bigint() - t0) / 1e9, frames, bytes };
}

function haveCapinfos(): boolean {
  return spawnSync('sh', ['-c', 'command -v capinfos']).status === 0;
}

/** The read benchmark: rows for gretool's writer and reader (in-process and CLI) and capinfos. */
export async function benchRead(dir: string, frames = 1_000_000): Promise<BenchRow[]> {
  const rows: BenchRow[] = [];
  const pcap = join(dir, 'bench-read.pcap');
  const pcapng = join(dir, 'bench-read.pcapng');
  try {
    const w = await writeCapture(pcap, 'pcap', false, frames);
    const mb = (statSync(pcap).size / 1e6).toFixed(0);
    rows.push(row('write pcap', 'gretool (in-process)', frames, w.seconds, null, `${mb} MB (disk-bound)`));
    const small = join(dir, 'bench-small.pcap');
    const ws = await writeCapture(small, 'pcap', false, frames, true);
    rows.push(row('write pcap', 'gretool (in-process)', frames, ws.seconds, null, `small records, ${(statSync(small).size / 1e6).toFixed(0)} MB`));
    rmSync(small, { force: true });
    const wn = await writeCapture(pcapng, 'pcapng', true, frames);
    rows.push(row('write pcapng', 'gretool (in-process)', frames, wn.seconds, null, `nanosecond, ${(statSync(pcapng).size / 1e6).toFixed(0)} MB`));

    // Warm the page cache once so every reader sees the same conditions.
    await readInProcess(pcap);
    const rssBefore = process.memoryUsage().rss;
    const r = await readInProcess(pcap);
    if (r.frames !== frames) throw new Error(`reader delivered ${r.frames} records, expected ${frames}`);
    rows.push(row('read pcap', 'gretool (in-process)', frames, r.seconds, null, `rss ${(rssBefore / 1e6).toFixed(0)} MB before read`));
    await readInProcess(pcapng);
    const rn = await readInProcess(pcapng);
    rows.push(row('read pcapng', 'gretool (in-process)', frames, rn.seconds, null, 'nanosecond timestamps'));

    const cli = await timeCommand(process.execPath, [BIN, 'info', pcap]);
    if (cli.status !== 0) throw new Error(`gretool info exited with ${cli.status}`);
    rows.push(row('read pcap', 'gretool info', frames, cli.seconds, cli.peakRssMB, 'process, incl. startup'));
    const clin = await timeCommand(process.execPath, [BIN, 'info', pcapng]);
    rows.push(row('read pcapng', 'gretool info', frames, clin.seconds, clin.peakRssMB, 'process, incl. startup'));
    if (haveCapinfos()) {
      const c = await timeCommand('capinfos', ['-c', pcap]);
      rows.push(row('read pcap', 'capinfos -c', frames, c.seconds, c.peakRssMB));
      const cn = await timeCommand('capinfos', ['-c', pcapng]);
      rows.push(row('read pcapng', 'capinfos -c', frames, cn.seconds, cn.peakRssMB));
    }
  } finally {
    rmSync(pcap, { force: true });
    rmSync(pcapng, { force: true });
  }
  return rows;
}

if (process.argv[1] && import.meta.url === pathToFileURL(process.argv[1]).href) {
  const frames = Number(process.argv[2] ?? 1_000_000);
  const dir = mkdtempSync(join(tmpdir(), 'gretool-bench-'));
  benchRead(dir, frames)
    .then((rows) => {
      for (const r of rows) {
        console.log(
          `${r.bench.padEnd(14)} ${r.tool.padEnd(22)} ${String(r.frames).padStart(8)} frames ${r.seconds.toFixed(3).padStart(7)} s ${Math.round(r.framesPerSec).toLocaleString('en-US').padStart(11)} rec/s ${r.peakRssMB === null ? '' : `${r.peakRssMB.toFixed(0)} MB peak`} ${r.note ?? ''}`,
        );
      }
    })
    .finally(() => rmSync(dir, { recursive: true, force: true }));
}
