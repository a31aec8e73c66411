/**
 * Session-correlator throughput: frames per second through capture reading + dissection +
 * extraction + correlation, and memory. `benchSessions(path)` measures a given capture;
 * `buildSessionsCapture(path, { bindings, frames })` writes a synthetic one (10k bindings and
 * 1M frames by default: PBU/PBA pairs first, then keyed GRE data up and down, mixed IPv6/GRE,
 * IPv4/GRE and IPv4/UDP/TLV/GRE, with some unattributed traffic).
 *
 *   npx tsx bench/sessions.ts [capture.pcap]      (builds gretool-bench-sessions.pcap in the temporary directory if absent)
 *   node dist/bench/sessions.js --pass capture    (one pass, JSON line: what benchSessions runs FRESH_RUNS times)
 */
import { existsSync, openSync, writeSync, closeSync } from 'node:fs';
import { setFlagsFromString } from 'node:v8';
import { runInNewContext } from 'node:vm';
import { join } from 'node:path';
import { tmpdir } from 'node:os';
import { fileURLToPath } from 'node:url';
import { FRESH_RUNS, freshPasses, printPass, row, timeCommand, type BenchRow } from './common.js';
import { correlateCapture } from '../src/sessions/run.js';
import { BIN, ROOT } from '../test/helpers/cli.js';
import { withCorrelationTuning } from '../src/cli/v8-tuning.js';
import { greData, inner, signal4, signal6, tlvData } from '../test/sessions/frames.js';

export interface BuildOptions {
  bindings?: number;
  frames?: number;
}

function v6(prefix: string, i: number): string {
  return `${prefix}:${(i >>> 16).toString(16)}:${(i & 0xffff).toString(16)}::1`;
}

/** Writes a nanosecond pcap: `bindings` registrations, then data up to `frames` frames in total. */
export function buildSessionsCapture(path: string, o: BuildOptions = {}): { frames: number; bindings: number } {
  const nb = o.bindings ?? 10000;
  const total = o.frames ?? 1_000_000;
  const fd = openSync(path, 'w');
  const buf = Buffer.alloc(1 << 22);
  let pos = 0;
  const flush = () => {
    writeSync(fd, buf, 0, pos);
    pos = 0;
  };
  const gh = Buffer.alloc(24);
  gh.writeUInt32LE(0xa1b23c4d, 0);
  gh.writeUInt16LE(2, 4);
  gh.writeUInt16LE(4, 6);
  gh.writeUInt32LE(262144, 16);
  gh.writeUInt32LE(1, 20);
  gh.copy(buf, 0);
  pos = 24;
  let sec = 1700000000;
  let nsec = 0;
  let n = 0;
  const put = (d: Uint8Array) => {
    if (pos + 16 + d.length > buf.length) flush();
    nsec += 20000;
    if (nsec >= 1e9) {
      sec++;
      nsec -= 1e9;
    }
    buf.writeUInt32LE(sec, pos);
    buf.writeUInt32LE(nsec, pos + 4);
    buf.writeUInt32LE(d.length, pos + 8);
    buf.writeUInt32LE(d.length, pos + 12);
    buf.set(d, pos + 16);
    pos += 16 + d.length;
    n++;
  };
  const MAGS = 50;
  const LMA6 = '2001:db8:ffff::1';
  const LMA4 = '198.51.100.1';
  // per binding: uplink and downlink data templates
  const templates: Uint8Array[][] = [];
  for (let i = 0; i < nb; i++) {
    const mode = i % 4; // 0,1: IPv6/GRE; 2: IPv4/GRE; 3: IPv4/UDP/TLV/GRE
    const magIdx = i % MAGS;
    const mn = `mn${i}@bench.example`;
    const dl = 0x10000000 + i;
    const ul = 0x20000000 + i;
    if (mode <= 1) {
      const mag = `2001:db8:${(magIdx + 1).toString(16)}::1`;
      const hnp = v6('2001:db9', i);
      const mnAddr = hnp.replace(/::1$/, '::5');
      put(signal6(mag, LMA6, { type: 'pbu', seq: i & 0xffff, lifetime: 0xffff, mnId: mn, hnp: [hnp.replace(/::1$/, '::/64')], hi: 1, att: 4, gre: dl }));
      put(signal6(LMA6, mag, { type: 'pba', seq: i & 0xffff, lifetime: 0xffff, mnId: mn, hnp: [hnp.replace(/::1$/, '::/64')], gre: ul }));
      templates.push([
        greData(mag, LMA6, inner(mnAddr, '2001:db8:cccc::1', 60), { key: ul }),
        greData(LMA6, mag, inner('2001:db8:cccc::1', mnAddr, 60), { key: dl }),
      ]);
    } else {
      const mag = `192.0.${2 + (magIdx >> 6)}.${10 + (magIdx & 63)}`;
      const hoa = `10.${(i >> 16) & 255}.${(i >> 8) & 255}.${i & 255}`;
      const tlv = mode === 3;
      const sport = 40000 + (i % 1000);
      put(signal4(mag, LMA4, sport, 5436, { type: 'pbu', seq: i & 0xffff, lifetime: 0xffff, mnId: mn, gre: dl, tFlag: tlv, hoa: '0.0.0.0' }));
      put(signal4(LMA4, mag, 5436, sport, { type: 'pba', seq: i & 0xffff, lifetime: 0xffff, mnId: mn, gre: ul, tFlag: tlv, hoa }));
      templates.push(
        tlv
          ? [tlvData(mag, LMA4, inner(hoa, '8.8.8.8', 60), { key: ul }), tlvData(LMA4, mag, inner('8.8.8.8', hoa, 60), { key: dl })]
          : [greData(mag, LMA4, inner(hoa, '8.8.8.8', 60), { key: ul }), greData(LMA4, mag, inner('8.8.8.8', hoa, 60), { key: dl })],
      );
    }
  }
  const stray = greData('2001:db8:1::1', LMA6, inner('2001:db9::5', '2001:db8:cccc::1', 60), { key: 0xdead });
  let k = 0;
  while (n < total) {
    if (k % 1000 === 999) put(stray);
    else {
      const t = templates[(k * 7919) % nb]!;
      put(t[k & 1]!);
    }
    k++;
  }
  flush();
  closeSync(fd);
  return { frames: n, bindings: nb };
}

/** A full garbage collection, also when node was started without --expose-gc. */
function collectGarbage(): void {
  if (typeof global.gc === 'function') return void global.gc();
  setFlagsFromString('--expose-gc');
  (runInNewContext('gc') as () => void)();
}

/**
 * Correlates `capturePath`: the first pass of a fresh process (median of FRESH_RUNS processes:
 * what one run meets, JIT cold, with the V8 tuning of `gretool sessions`, src/cli/v8-tuning.ts),
 * the best of 3 passes in this process (warm, tuned the same), and the built CLI
 * (start-up, correlation and the JSON report).
 */
export async function benchSessions(capturePath: string): Promise<BenchRow[]> {
  const rows: BenchRow[] = [];
  const passes = await freshPasses(fileURLToPath(import.meta.url), ['--pass', capturePath], FRESH_RUNS);
  const med = passes[FRESH_RUNS >> 1]!;
  rows.push(row('sessions (read+dissect+correlate, first pass of a fresh process)', 'gretool', med.frames, med.seconds, med.peakRssMB,
    `median of ${FRESH_RUNS} processes, with the CLI's V8 tuning (${passes.map((p) => p.seconds.toFixed(3)).join(', ')} s); CPU ${med.cpuSeconds.toFixed(3)} s; ${med.note}; target 2M frames/s`));
  let best = Infinity;
  let bestCpu = Infinity;
  let frames = 0;
  let bindings = 0;
  let peak = 0;
  let heap = 0;
  for (let run = 0; run < 3; run++) {
    collectGarbage(); // start clean: not the previous run's (or the previous bench's) garbage
    const sampler = setInterval(() => {
      peak = Math.max(peak, process.memoryUsage().rss);
    }, 50);
    const c0 = process.cpuUsage();
    const t0 = process.hrtime.bigint();
    const r = await withCorrelationTuning(() => correlateCapture(capturePath));
    const s = Number(process.hrtime.bigint() - t0) / 1e9;
    const c = process.cpuUsage(c0);
    clearInterval(sampler);
    peak = Math.max(peak, process.memoryUsage().rss);
    heap = process.memoryUsage().heapUsed;
    frames = r.frames;
    bindings = r.correlator.bindings().length;
    best = Math.min(best, s);
    bestCpu = Math.min(bestCpu, (c.user + c.system) / 1e6);
  }
  // wall time suffers on a shared machine; CPU time is the correlator's own cost
  rows.push(row('sessions (read+dissect+correlate, in-process, best of 3)', 'gretool', frames, best, peak / 2 ** 20,
    `${bindings} bindings; CPU ${bestCpu.toFixed(3)} s = ${Math.round(frames / bestCpu)} frames/CPU-s; heap after ${Math.round(heap / 2 ** 20)} MB`));
  if (existsSync(join(ROOT, 'dist', 'src', 'cli', 'main.js'))) {
    const t = await timeCommand(process.execPath, [BIN, 'sessions', capturePath, '--format', 'json']);
    if (t.status === 0) rows.push(row('sessions --format json (CLI)', 'gretool', frames, t.seconds, t.peakRssMB));
    const table = await timeCommand(process.execPath, [BIN, 'sessions', capturePath]);
    if (table.status === 0) rows.push(row('sessions, table (CLI)', 'gretool', frames, table.seconds, table.peakRssMB, `the default output: a table of ${bindings} bindings`));
  }
  return rows;
}

// run directly: npx tsx bench/sessions.ts [capture]
if (process.argv[1] && fileURLToPath(import.meta.url) === process.argv[1] && process.argv[2] === '--pass') {
  // one pass in this fresh process (freshPasses)
  void printPass(async () => {
    const r = await withCorrelationTuning(() => correlateCapture(process.argv[3]!));
    return { frames: r.frames, note: `${r.correlator.bindings().length} bindings` };
  });
} else if (process.argv[1] && fileURLToPath(import.meta.url) === process.argv[1]) {
  const path = process.argv[2] ?? join(tmpdir(), 'gretool-bench-sessions.pcap');
  if (!existsSync(path)) {
    const t0 = Date.now();
    const b = buildSessionsCapture(path);
    console.error(`built ${path}: ${b.frames} frames, ${b.bindings} bindings in ${((Date.now() - t0) / 1000).toFixed(1)} s`);
  }
  void benchSessions(path).then((rows) => {
    for (const r of rows) {
      console.log(`${r.bench.padEnd(48)} ${String(r.frames).padStart(9)} frames ${r.seconds.toFixed(3).padStart(8)} s ${Math.round(r.framesPerSec).toString().padStart(9)} frames/s  peak RSS ${r.peakRssMB?.toFixed(0) ?? '?'} MB ${r.note ?? ''}`);
    }
  });
}
