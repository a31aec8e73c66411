/**
 * Display-filter throughput, in process: the capture is loaded into memory, then frames are
 * dissected by the Pipeline and filtered as `gretool dissect -Y <filter>` does: each frame is
 * dissected with only the filter's fields materialised (`setWant(wantMask(filter.fields))`) and
 * no summary columns (`setColumns(false)`); a frame that matches is dissected again with the
 * columns for its summary line (`redissect(wantMask([]), true)`, src/output/dissect.ts). Rows:
 *   filter: dissect only, whole tree + columns   the old baseline (what every frame cost before want masks)
 *   filter: dissect only, no field, no columns   the floor of a masked run
 *   filter: dissect -Y <filter>                  frames/s of the filtering pass + the matches' summary
 *                                                dissection (goal >= 2M/s for gre.key == 0x...)
 *   filter: evaluate <filter>                    the filter alone on frames dissected with its mask
 *   filter: allocation check <filter>            GC runs during millions of evaluations (expect 0)
 *
 *   npm run build && node dist/bench/filter.js [capture | --frames N]
 *
 * Without a capture, N Ethernet/IPv4/GRE(key)/IPv4/UDP frames with 64 keys are written first.
 */
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { PerformanceObserver } from 'node:perf_hooks';
import { pathToFileURL } from 'node:url';
import { createCaptureWriter, forEachRecord, openCapture } from '../src/capture/index.js';
import '../src/dissectors/index.js';
import { fieldByName, wantMask } from '../src/engine/fields.js';
import type { Packet } from '../src/engine/packet.js';
import { Pipeline } from '../src/engine/pipeline.js';
import { compileFilter, type DisplayFilter } from '../src/filter/index.js';
import { row, type BenchRow } from './common.js';

interface Loaded {
  data: Uint8Array;
  off: Int32Array;
  cap: Int32Array;
  orig: Int32Array;
  sec: Float64Array;
  nsec: Float64Array;
  link: Int32Array;
  n: number;
}

/** Reads the whole capture into one buffer (records are views of the reader's chunk). */
async function load(path: string): Promise<Loaded> {
  const parts: Uint8Array[] = [];
  const meta: number[][] = [];
  let total = 0;
  const reader = await openCapture(path);
  try {
    await forEachRecord(reader, (r) => {
      parts.push(r.data.slice(r.offset, r.offset + r.caplen));
      meta.push([total, r.caplen, r.origlen, r.tsSec, r.tsNsec, r.linkType]);
      total += r.caplen;
    });
  } finally {
    await reader.close();
  }
  const data = new Uint8Array(total);
  parts.forEach((p, i) => data.set(p, meta[i]![0]!));
  const n = meta.length;
  const L: Loaded = {
    data, n,
    off: new Int32Array(n), cap: new Int32Array(n), orig: new Int32Array(n),
    sec: new Float64Array(n), nsec: new Float64Array(n), link: new Int32Array(n),
  };
  meta.forEach((m, i) => {
    L.off[i] = m[0]!;
    L.cap[i] = m[1]!;
    L.orig[i] = m[2]!;
    L.sec[i] = m[3]!;
    L.nsec[i] = m[4]!;
    L.link[i] = m[5]!;
  });
  return L;
}

function dissect(pipe: Pipeline, L: Loaded, i: number): Packet {
  return pipe.dissectBytes(L.data, L.off[i]!, L.cap[i]!, L.orig[i]!, L.link[i]!, i + 1, L.sec[i]!, L.nsec[i]!);
}

/** Best of `repeat` timed passes of `pass` (the machine is shared); seconds. */
function best(repeat: number, pass: () => void): number {
  let min = Infinity;
  for (let r = 0; r < repeat; r++) {
    const t0 = process.hrtime.bigint();
    pass();
    min = Math.min(min, Number(process.hrtime.bigint() - t0) / 1e9);
  }
  return min;
}

/** The first gre.key value in the capture (what a user would filter on), or 0x1001. */
function firstKey(L: Loaded): { key: number; found: boolean } {
  const def = fieldByName('gre.key');
  if (!def) return { key: 0x1001, found: false };
  const f = compileFilter('gre.key');
  const pipe = new Pipeline();
  // scan the whole capture: a scaled scenario starts with thousands of PBU/PBA frames
  for (let i = 0; i < L.n; i++) {
    const p = dissect(pipe, L, i);
    if (!f.matches(p)) continue;
    for (let j = 0; j < p.tree.count; j++) {
      if (p.tree.fid[j] === def.id) {
        const off = p.tree.off[j]!;
        return { key: p.u32(off), found: true };
      }
    }
  }
  return { key: 0x1001, found: false };
}

/** Counts GC runs while `fn` runs. */
async function gcCount(fn: () => void): Promise<number> {
  let n = 0;
  const obs = new PerformanceObserver((list) => {
    n += list.getEntries().length;
  });
  obs.observe({ entryTypes: ['gc'] });
  fn();
  await new Promise((r) => setTimeout(r, 50)); // let the observer deliver
  obs.disconnect();
  return n;
}

export async function benchFilter(capturePath: string): Promise<BenchRow[]> {
  const rows: BenchRow[] = [];
  const L = await load(capturePath);
  const { key, found } = firstKey(L);
  const keyHex = '0x' + key.toString(16);
  const filters: string[] = [
    `gre.key == ${keyHex}`,
    `gre.key in {${keyHex}, 0x7fff0000..0x7fffffff}`,
    `!gre`,
    `gre.key == ${keyHex} && ip.src == 10.0.0.0/8`,
    `frame contains "gretool-bench"`,
  ];
  const compiled: DisplayFilter[] = [];
  for (const f of filters) {
    try {
      compiled.push(compileFilter(f));
    } catch {
      // a field not registered by the dissectors present: skip that filter
    }
  }
  const pipe = new Pipeline();
  const repeat = 3;
  const passes = Math.max(1, Math.ceil(2_000_000 / L.n));
  const note = found ? undefined : 'no GRE key anywhere in the capture: the key filters match nothing';
  // warm-up
  for (let i = 0; i < Math.min(L.n, 200000); i++) dissect(pipe, L, i);

  // baselines: the whole tree with columns (no mask), and nothing at all (empty mask, no columns)
  const tFull = best(repeat, () => {
    for (let k = 0; k < passes; k++) for (let i = 0; i < L.n; i++) dissect(pipe, L, i);
  });
  rows.push(row('filter: dissect only, whole tree + columns', 'gretool', L.n * passes, tFull, null, note));
  const none = wantMask([]);
  pipe.setWant(none);
  pipe.setColumns(false);
  const tNone = best(repeat, () => {
    for (let k = 0; k < passes; k++) for (let i = 0; i < L.n; i++) dissect(pipe, L, i);
  });
  rows.push(row('filter: dissect only, no field, no columns', 'gretool', L.n * passes, tNone, null, note));

  // as `dissect -Y f` (summary output): the filter's fields only, no columns; a match is
  // dissected again with the columns (the summary line's input)
  for (const f of compiled) {
    pipe.setWant(wantMask(f.fields));
    pipe.setColumns(false);
    let hits = 0;
    const t = best(repeat, () => {
      hits = 0;
      for (let k = 0; k < passes; k++) {
        for (let i = 0; i < L.n; i++) {
          if (f.matches(dissect(pipe, L, i))) {
            hits++;
            pipe.redissect(none, true);
          }
        }
      }
    });
    rows.push(row(`filter: dissect -Y ${f.text}`, 'gretool', L.n * passes, t, null, `${hits / passes} of ${L.n} frames match`));
  }

  // the filter alone: each frame dissected once, then evaluated `evals` times
  const evals = 20;
  const sample = Math.min(L.n, 100000);
  for (const f of compiled) {
    pipe.setWant(wantMask(f.fields));
    pipe.setColumns(false);
    let spent = 0;
    for (let r = 0; r < repeat; r++) {
      let s = 0;
      for (let i = 0; i < sample; i++) {
        const p = dissect(pipe, L, i);
        const t0 = process.hrtime.bigint();
        for (let e = 0; e < evals; e++) f.matches(p);
        s += Number(process.hrtime.bigint() - t0);
      }
      spent = r === 0 ? s : Math.min(spent, s);
    }
    const secs = spent / 1e9;
    rows.push(row(`filter: evaluate ${f.text}`, 'gretool', sample * evals, secs, null, `${((spent / (sample * evals))).toFixed(1)} ns per frame`));
  }

  // allocation check: many evaluations on a few dissected frames, counting GC runs
  for (const f of compiled) {
    pipe.setWant(wantMask(f.fields));
    pipe.setColumns(false);
    const frames = [0, Math.floor(L.n / 2), L.n - 1];
    let gcs = 0;
    const t0 = process.hrtime.bigint();
    for (const i of frames) {
      const p = dissect(pipe, L, i);
      gcs += await gcCount(() => {
        for (let e = 0; e < 2_000_000; e++) f.matches(p);
      });
    }
    const secs = Number(process.hrtime.bigint() - t0) / 1e9;
    rows.push(row(`filter: allocation check ${f.text}`, 'gretool', 6_000_000, secs, null, `${gcs} GC runs during 6M evaluations`));
  }
  return rows;
}

// ------------------------------------------------------------------ standalone

function ipSum(h: Uint8Array): number {
  let s = 0;
  for (let i = 0; i < h.length; i += 2) s += (h[i]! << 8) | h[i + 1]!;
  while (s > 0xffff) s = (s & 0xffff) + (s >>> 16);
  return ~s & 0xffff;
}

/** Ethernet / IPv4 / GRE(key) / IPv4 / UDP with `len` payload bytes. */
function greFrame(key: number, inner: number, len: number): Uint8Array {
  const udpLen = 8 + len;
  const innerLen = 20 + udpLen;
  const greLen = 8;
  const outerLen = 20 + greLen + innerLen;
  const b = new Uint8Array(14 + outerLen);
  b.set([0, 0x11, 0x22, 0x33, 0x44, 0x55, 2, 0xaa, 0xbb, 0xcc, 0xdd, 0xee, 0x08, 0x00], 0);
  const ip = (at: number, total: number, proto: number, src: number[], dst: number[]): void => {
    b.set([0x45, 0, total >> 8, total & 255, 0x12, 0x34, 0x40, 0, 64, proto, 0, 0, ...src, ...dst], at);
    const c = ipSum(b.subarray(at, at + 20));
    b[at + 10] = c >> 8;
    b[at + 11] = c & 255;
  };
  ip(14, outerLen, 47, [192, 0, 2, 1], [198, 51, 100, 1]);
  b.set([0x20, 0, 0x08, 0x00, key >>> 24, (key >>> 16) & 255, (key >>> 8) & 255, key & 255], 34);
  ip(42, innerLen, 17, [10, 0, (inner >> 8) & 255, inner & 255], [203, 0, 113, 9]);
  b.set([0x9c, 0x40, 0x9c, 0x41, udpLen >> 8, udpLen & 255, 0, 0], 62);
  for (let i = 0; i < len; i++) b[70 + i] = (i * 7) & 255;
  return b;
}

export async function writeGreCapture(path: string, frames: number): Promise<void> {
  const w = createCaptureWriter(path, { format: 'pcap', nanosecond: false, interfaces: [{ linkType: 1 }] });
  for (let i = 0; i < frames; i++) {
    const f = greFrame(0x1001 + (i % 64), i % 64, 18 + (i % 100));
    w.write(f, 0, f.length, f.length, 1700000000 + Math.floor(i / 1000), (i % 1000) * 1000000);
  }
  await w.close();
}

async function main(): Promise<void> {
  const args = process.argv.slice(2);
  let path = args[0] && !args[0].startsWith('--') ? args[0] : '';
  let dir = '';
  if (!path) {
    const n = args[0] === '--frames' ? Number(args[1]) : 1_000_000;
    dir = mkdtempSync(join(tmpdir(), 'gretool-bench-filter-'));
    path = join(dir, 'gre.pcap');
    await writeGreCapture(path, n);
  }
  try {
    for (const r of await benchFilter(path)) {
      console.log(`${r.bench.padEnd(60)} ${Math.round(r.framesPerSec).toLocaleString('en-US').padStart(12)} frames/s  ${r.note ?? ''}`);
    }
  } finally {
    if (dir) rmSync(dir, { recursive: true, force: true });
  }
}

if (import.meta.url === pathToFileURL(process.argv[1] ?? '').href) {
  main().catch((e) => {
    console.error(e);
    process.exit(1);
  });
}
