/**
 * `gretool dissect` throughput against tshark 4.0 on the same capture: summary lines, `-T fields`
 * (frame.number, gre.key, mip6.gre_key), the full tree `-V`, and `-Y 'gre.key == <a key>'`
 * printing only the matches, all to /dev/null, each timed as a process (wall time, CPU time,
 * peak RSS). Targets: summary and fields ≥ 10× tshark, -V ≥ 3× tshark, -Y ≥ 2M frames/s, peak
 * RSS < 200 MB. The note of each gretool row gives the ratio to tshark in wall time and in CPU
 * time (user + system; the steadier figure when the machine is shared) and the frames per CPU
 * second. Then the same work in process (no start-up, frames in memory, best of 3): what each
 * mode costs per frame with what it materialises (want masks, columns on or off).
 *
 *   npm run build && node dist/bench/dissect.js [capture | --frames N] [--no-tshark]
 *
 * Without a capture, one of N Ethernet/IPv4/GRE(key)/IPv4/UDP frames is written first (the
 * data-plane shape that dominates PMIPv6 captures).
 */
import { spawn } from 'node:child_process';
import { existsSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { pathToFileURL } from 'node:url';
import { createCaptureWriter, forEachRecord, openCapture } from '../src/capture/index.js';
import '../src/dissectors/index.js';
import { fieldByName, wantMask } from '../src/engine/fields.js';
import { Pipeline } from '../src/engine/pipeline.js';
import { compileFilter } from '../src/filter/index.js';
import { dissectCapture } from '../src/output/dissect.js';
import { defaultJobs } from '../src/output/parallel.js';
import { BIN, row, timeCommand, type BenchRow } from './common.js';


const FIELDS = ['-T', 'fields', '-e', 'frame.number', '-e', 'gre.key', '-e', 'mip6.gre_key'];

/**
 * The -Y mode's key: the GRE key of the first keyed frame past the middle of the capture (a
 * binding a user would look for; the scaled scenarios open with a burst of PBU/PBA frames).
 */
async function keyFilter(path: string, frames: number): Promise<string> {
  let key: string | undefined;
  await dissectCapture(path, (f) => {
    if (f.number < frames / 2) return true;
    key = f.text('gre.key');
    return key === undefined || key === '';
  }, { fields: ['gre.key'] });
  if (!key) throw new Error(`${path}: no GRE key past frame ${Math.floor(frames / 2)}`);
  return `gre.key == ${key}`;
}

/**
 * The reading modes, as arguments after the file (gretool and tshark take the same ones).
 * `target` is a ratio to tshark, `targetFps` an absolute frames per second. Two -Y modes select
 * the same frames: `==` (gretool skips frames without the key's four bytes undissected, see
 * src/filter/prefilter.ts) and a closed range, which has no literal and dissects every frame.
 * gretool runs with its defaults (-j auto: the whole tree in two worker threads on two cores or
 * more, everything else in one) and, in the `-j N` rows, with N threads (ratios to tshark from the
 * tshark run of the same mode). tshark 4.0 dissects in one thread.
 */
function processModes(key: string): { bench: string; args: string[]; target?: number; targetFps?: number; tshark: boolean }[] {
  const value = key.slice(key.lastIndexOf(' ') + 1);
  const range = `gre.key >= ${value} && gre.key <= ${value}`;
  return [
    { bench: 'dissect summary', args: [], target: 10, tshark: true },
    { bench: 'dissect summary -j 2', args: ['-j', '2'], tshark: false },
    { bench: 'dissect -T fields', args: FIELDS, target: 10, tshark: true },
    { bench: 'dissect -V', args: ['-V'], target: 3, tshark: true },
    { bench: 'dissect -V -j 1', args: ['-V', '-j', '1'], tshark: false },
    { bench: `dissect -Y '${key}'`, args: ['-Y', key], targetFps: 2e6, tshark: true },
    { bench: `dissect -Y '${range}'`, args: ['-Y', range], tshark: false },
  ];
}

async function countFrames(path: string): Promise<number> {
  const r = await openCapture(path);
  try {
    return await forEachRecord(r, () => undefined);
  } finally {
    await r.close();
  }
}

interface Timed {
  seconds: number;
  /** user + system CPU seconds (null without GNU time): steadier than wall time on a shared machine */
  cpuSeconds: number | null;
  peakRssMB: number | null;
  status: number;
}

/** Runs a command with stdout to /dev/null, measuring wall time, CPU time and peak RSS. */
async function timeCpu(cmd: string, args: string[]): Promise<Timed> {
  if (!existsSync('/usr/bin/time')) {
    const r = await timeCommand(cmd, args);
    return { ...r, cpuSeconds: null };
  }
  const t0 = process.hrtime.bigint();
  return await new Promise((resolve, reject) => {
    const child = spawn('/usr/bin/time', ['-f', 'GRETOOL-BENCH %U %S %M', cmd, ...args], { stdio: ['ignore', 'ignore', 'pipe'] });
    let err = '';
    child.stderr.on('data', (d) => (err += d));
    child.on('error', reject);
    child.on('close', (code) => {
      const seconds = Number(process.hrtime.bigint() - t0) / 1e9;
      const m = /GRETOOL-BENCH ([\d.]+) ([\d.]+) (\d+)/.exec(err);
      resolve({
        seconds,
        cpuSeconds: m ? Number(m[1]) + Number(m[2]) : null,
        peakRssMB: m ? Number(m[3]) / 1024 : null,
        status: code ?? -1,
      });
    });
  });
}

/** Runs a command `repeat` times and keeps the fastest run (the machine is shared); gretool and tshark alike. */
async function best(cmd: string, args: string[], repeat: number): Promise<Timed> {
  let bestRun: Timed | null = null;
  for (let i = 0; i < repeat; i++) {
    const r = await timeCpu(cmd, args);
    if (!bestRun || r.seconds < bestRun.seconds) bestRun = r;
  }
  return bestRun!;
}

/**
 * Times gretool and tshark in the three modes on one capture. The gretool rows carry the ratio
 * to tshark in `note` ("12.3x tshark (target 10x)").
 */
export async function benchDissect(capturePath: string, opts: { repeat?: number; tshark?: boolean } = {}): Promise<BenchRow[]> {
  const frames = await countFrames(capturePath);
  const repeat = opts.repeat ?? 2;
  const rows: BenchRow[] = [];
  const tsharkOf = new Map<string, Timed>(); // by mode without -j: the -j rows compare with it
  for (const m of processModes(await keyFilter(capturePath, frames))) {
    const g = await best(process.execPath, [BIN, 'dissect', capturePath, ...m.args], repeat);
    if (g.status !== 0) throw new Error(`gretool dissect ${m.args.join(' ')} exited ${g.status}`);
    const j = m.args.indexOf('-j');
    const jobs = j >= 0 ? Number(m.args[j + 1]) : defaultJobs(m.args.includes('-V'));
    let note = (j >= 0 ? '' : 'default -j auto: ') + (jobs === 1 ? 'one thread; ' : `${jobs} worker threads; `);
    if (g.cpuSeconds !== null) note += `cpu ${g.cpuSeconds.toFixed(2)}s = ${Math.round(frames / g.cpuSeconds / 1000)}k frames/cpu-s`;
    let t: Timed | null = null;
    if (opts.tshark !== false && m.tshark) {
      t = await best('tshark', ['-r', capturePath, ...m.args], repeat); // the same best-of as gretool's
      if (t.status !== 0) throw new Error(`tshark ${m.args.join(' ')} exited ${t.status}`);
      tsharkOf.set(m.bench, t);
    }
    const ref = t ?? tsharkOf.get(m.bench.replace(/ -j \d+$/, ''));
    if (ref) {
      note += `; ${(ref.seconds / g.seconds).toFixed(1)}x tshark wall`;
      if (g.cpuSeconds && ref.cpuSeconds) note += `, ${(ref.cpuSeconds / g.cpuSeconds).toFixed(1)}x cpu`;
    }
    if (m.target) note += ` (target ${m.target}x)`;
    if (m.targetFps) note += ` (target ${m.targetFps / 1e6}M frames/s)`;
    rows.push(row(m.bench, 'gretool', frames, g.seconds, g.peakRssMB, note));
    if (t) rows.push(row(m.bench, 'tshark', frames, t.seconds, t.peakRssMB, t.cpuSeconds !== null ? `cpu ${t.cpuSeconds.toFixed(2)}s` : undefined));
  }
  return rows;
}

/**
 * The dissection work of each mode in process, without start-up or reading: the capture's
 * frames (up to `max`) in memory, dissected `passes` times, best of 3 (CPU time). Rows:
 * full tree (-V, json), summary columns only, `-T fields` mask, the -Y filter's mask + filter.
 */
export async function benchInProcess(capturePath: string, max = 500_000): Promise<BenchRow[]> {
  // the frames back to back in one buffer, as the reader's chunks hold them
  const parts: Uint8Array[] = [];
  const meta: number[] = []; // offset, caplen, origlen, link, sec, nsec per frame
  let total = 0;
  const r = await openCapture(capturePath);
  try {
    await forEachRecord(r, (rec) => {
      if (parts.length >= max) return;
      parts.push(rec.data.slice(rec.offset, rec.offset + rec.caplen));
      meta.push(total, rec.caplen, rec.origlen, rec.linkType, rec.tsSec, rec.tsNsec);
      total += rec.caplen;
    });
  } finally {
    await r.close();
  }
  const buf = new Uint8Array(total);
  parts.forEach((b, i) => buf.set(b, meta[6 * i]!));
  const nrec = parts.length;
  parts.length = 0;
  const id = (n: string) => fieldByName(n)!.id;
  const keyText = await keyFilter(capturePath, 0);
  const filter = compileFilter(keyText);
  const modes: { bench: string; want: Uint8Array | null; columns: boolean; filter?: boolean }[] = [
    { bench: 'in-process: full tree (-V, json)', want: null, columns: true },
    { bench: 'in-process: summary columns, no field', want: wantMask([]), columns: true },
    { bench: 'in-process: -T fields mask', want: wantMask(['frame.number', 'gre.key', 'mip6.gre_key'].map(id)), columns: false },
    { bench: `in-process: -Y '${keyText}' (its mask + the filter, every frame)`, want: wantMask(filter.fields), columns: false, filter: true },
  ];
  const rows: BenchRow[] = [];
  const passes = Math.max(1, Math.ceil(1_000_000 / nrec));
  for (const m of modes) {
    const pipe = new Pipeline({ want: m.want, columns: m.columns });
    let bestCpu = Infinity;
    let hits = 0;
    for (let k = 0; k < 3; k++) {
      const t0 = process.cpuUsage();
      hits = 0;
      for (let pass = 0; pass < passes; pass++) {
        for (let i = 0, k = 0; i < nrec; i++, k += 6) {
          const p = pipe.dissectBytes(buf, meta[k]!, meta[k + 1]!, meta[k + 2]!, meta[k + 3]!, i + 1, meta[k + 4]!, meta[k + 5]!);
          if (m.filter && filter.matches(p)) hits++;
        }
      }
      const u = process.cpuUsage(t0);
      bestCpu = Math.min(bestCpu, (u.user + u.system) / 1e6);
    }
    const n = nrec * passes;
    rows.push(row(m.bench, 'gretool', n, bestCpu, null, `${Math.round((bestCpu / n) * 1e9)} ns/frame (cpu)${m.filter ? `, ${hits / passes} matches` : ''}`));
  }
  return rows;
}

/** Writes `n` Ethernet/IPv4/GRE(key)/IPv4/UDP frames (64 flows, both directions) as pcap. */
export async function writeGreCapture(path: string, n: number): Promise<void> {
  const frames: Uint8Array[] = [];
  for (let k = 0; k < 64; k++) frames.push(greFrame(k));
  const w = createCaptureWriter(path, { format: 'pcap', interfaces: [{ linkType: 1 }] });
  let sec = 1_700_000_000;
  let usec = 0;
  for (let i = 0; i < n; i++) {
    usec += 37;
    if (usec >= 1e6) {
      usec -= 1e6;
      sec++;
    }
    const f = frames[i & 63]!;
    if (!w.write(f, 0, f.length, f.length, sec, usec * 1000)) await w.drain();
  }
  await w.close();
}

function csum(b: Uint8Array, start: number, end: number): number {
  let s = 0;
  for (let i = start; i < end; i += 2) s += (b[i]! << 8) | (i + 1 < end ? b[i + 1]! : 0);
  while (s > 0xffff) s = (s & 0xffff) + (s >>> 16);
  return ~s & 0xffff;
}

function ipv4At(b: Uint8Array, o: number, total: number, proto: number, src: number[], dst: number[]): void {
  b.set([0x45, 0, total >> 8, total & 255, 0x10, 0, 0x40, 0, 64, proto, 0, 0, ...src, ...dst], o);
  const c = csum(b, o, o + 20);
  b[o + 10] = c >> 8;
  b[o + 11] = c & 255;
}

function greFrame(k: number): Uint8Array {
  const payload = 24;
  const b = new Uint8Array(14 + 20 + 8 + 20 + 8 + payload);
  const up = k % 2 === 0;
  const mag = [192, 0, 2, 1];
  const lma = [198, 51, 100, 1];
  b.set(up ? [2, 0, 0, 0, 0, 2, 2, 0, 0, 0, 0, 1, 8, 0] : [2, 0, 0, 0, 0, 1, 2, 0, 0, 0, 0, 2, 8, 0], 0);
  ipv4At(b, 14, b.length - 14, 47, up ? mag : lma, up ? lma : mag);
  const key = (up ? 0xb000 : 0xa000) + k;
  b.set([0x20, 0, 0x08, 0, key >>> 24, (key >>> 16) & 255, (key >>> 8) & 255, key & 255], 34);
  const mn = [10, 0, 0, k + 1];
  const srv = [203, 0, 113, 9];
  ipv4At(b, 42, 20 + 8 + payload, 17, up ? mn : srv, up ? srv : mn);
  const sport = up ? 40000 + k : 30000;
  const dport = up ? 30000 : 40000 + k;
  b.set([sport >> 8, sport & 255, dport >> 8, dport & 255, 0, 8 + payload, 0, 0], 62);
  for (let i = 0; i < payload; i++) b[70 + i] = (i * 7 + k) & 255;
  return b;
}

async function main(): Promise<void> {
  const argv = process.argv.slice(2);
  let path = argv[0] === '--no-tshark' ? undefined : argv[0];
  let dir: string | undefined;
  if (!path || path === '--frames') {
    const n = path === '--frames' ? Number(argv[1]) : 500_000;
    dir = mkdtempSync(join(tmpdir(), 'gretool-bench-'));
    path = join(dir, `gre-${n}.pcap`);
    await writeGreCapture(path, n);
  }
  try {
    const rows = [...(await benchDissect(path, { tshark: !argv.includes('--no-tshark') })), ...(await benchInProcess(path))];
    console.table(rows.map((r) => ({ ...r, seconds: +r.seconds.toFixed(3), framesPerSec: Math.round(r.framesPerSec), peakRssMB: r.peakRssMB && +r.peakRssMB.toFixed(1) })));
  } finally {
    if (dir) rmSync(dir, { recursive: true, force: true });
  }
}

if (import.meta.url === pathToFileURL(process.argv[1] ?? '').href) {
  main().catch((e: unknown) => {
    console.error(e);
    process.exit(1);
  });
}
