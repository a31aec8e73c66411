/**
 * The oracle for filter parity: which frames tshark 4.0 selects with `-Y expr` (or the error it
 * gives), and which frames gretool's compiled filters select over the same capture.
 * tshark answers are cached in the temp directory by (capture digest, filter) so that re-runs
 * cost nothing; delete $TMPDIR/gretool-filter-oracle to refresh.
 */
import { spawn } from 'node:child_process';
import { createHash } from 'node:crypto';
import { mkdirSync, readFileSync, writeFileSync, existsSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import '../../src/dissectors/index.js';
import { fieldDef } from '../../src/engine/fields.js';
import { Pipeline } from '../../src/engine/pipeline.js';
import { fieldText } from '../../src/output/format.js';
import { compileFilter, type DisplayFilter } from '../../src/filter/index.js';
import { run } from '../helpers/cli.js';
import { readPcapForTest } from '../helpers/parity.js';

export type TsharkAnswer = { ok: true; frames: number[] } | { ok: false; error: string };

const CACHE = join(tmpdir(), 'gretool-filter-oracle');

/** tshark runs in gretool's environment: local-time literals (no zone) mean the same to both. */
const TSHARK_ENV = { ...process.env };

function spawnText(cmd: string, args: string[]): Promise<{ status: number; stdout: string; stderr: string }> {
  return new Promise((resolve, reject) => {
    const child = spawn(cmd, args, { env: TSHARK_ENV, stdio: ['ignore', 'pipe', 'pipe'] });
    let stdout = '';
    let stderr = '';
    child.stdout.on('data', (d) => (stdout += d));
    child.stderr.on('data', (d) => (stderr += d));
    child.on('error', reject);
    child.on('close', (code) => resolve({ status: code ?? -1, stdout, stderr }));
  });
}

/**
 * Frames tshark selects with `-Y filter` for each filter, or its error (first line); runs
 * `concurrency` tshark processes at a time (tshark's start-up is most of the cost).
 */
export async function tsharkSelectAll(pcap: string, filters: readonly string[], concurrency = 2): Promise<Map<string, TsharkAnswer>> {
  const capDigest = createHash('sha256').update(readFileSync(pcap)).update('\0TZ=' + (process.env.TZ ?? '')).digest('hex');
  const out = new Map<string, TsharkAnswer>();
  const todo = [...new Set(filters)];
  mkdirSync(CACHE, { recursive: true });
  const worker = async (): Promise<void> => {
    for (;;) {
      const filter = todo.shift();
      if (filter === undefined) return;
      const file = join(CACHE, createHash('sha256').update(capDigest).update('\0').update(filter).digest('hex').slice(0, 32) + '.json');
      if (existsSync(file)) {
        out.set(filter, JSON.parse(readFileSync(file, 'utf8')) as TsharkAnswer);
        continue;
      }
      const r = await spawnText('tshark', ['-n', '-r', pcap, '-Y', filter, '-T', 'fields', '-e', 'frame.number']);
      const err = r.stderr.split('\n').filter((l) => l && !l.startsWith('Running as user'));
      const ans: TsharkAnswer = r.status === 0 && err.length === 0
        ? { ok: true, frames: r.stdout.split('\n').filter(Boolean).map(Number) }
        : { ok: false, error: err[0] ?? `exit ${r.status}` };
      writeFileSync(file, JSON.stringify(ans));
      out.set(filter, ans);
    }
  };
  await Promise.all(Array.from({ length: concurrency }, worker));
  return out;
}

export type GretoolAnswer = { ok: true; frames: number[]; fields: readonly number[] } | { ok: false; error: Error };

/** Compiles every filter, dissects the capture once and runs all filters on every frame. */
export function gretoolSelect(pcap: string, filters: readonly string[]): GretoolAnswer[] {
  const compiled: (DisplayFilter | Error)[] = filters.map((f) => {
    try {
      return compileFilter(f);
    } catch (e) {
      return e as Error;
    }
  });
  const hits: number[][] = filters.map(() => []);
  const { linkType, frames } = readPcapForTest(pcap);
  const pipe = new Pipeline();
  frames.forEach((fr, i) => {
    const p = pipe.dissectBytes(fr.data, 0, fr.data.length, fr.origlen, linkType, i + 1, fr.sec, fr.nsec);
    compiled.forEach((c, k) => {
      if (!(c instanceof Error) && c.matches(p)) hits[k]!.push(i + 1);
    });
  });
  return compiled.map((c, k) => (c instanceof Error ? { ok: false, error: c } : { ok: true, frames: hits[k]!, fields: c.fields }));
}

/**
 * Where gretool's dissection agrees with tshark's, per field and frame: protocols by number of
 * occurrences, other fields by their `-T fields` text (all occurrences). Filter results are
 * compared only on frames where every field the filter references agrees, so an unfinished
 * dissector shows up as skipped frames, not as a filter failure. Fields Wireshark does not
 * have (gretool's own) are taken as agreeing.
 */
export function dissectionAgreement(pcap: string, fieldIds: readonly number[]): Map<number, boolean[]> {
  const { linkType, frames } = readPcapForTest(pcap);
  const defs = [...new Set(fieldIds)].map((id) => fieldDef(id));
  const out = new Map<number, boolean[]>();
  const compared = defs.filter((d) => d.wireshark);
  for (const d of defs) if (!d.wireshark) out.set(d.id, frames.map(() => true));
  if (!compared.length) return out;
  // tshark: one run for all fields (cached like the filter answers)
  const names = compared.map((d) => d.abbrev);
  const digest = createHash('sha256').update(readFileSync(pcap)).update('\0fields\0').update(names.join(',')).digest('hex').slice(0, 32);
  const file = join(CACHE, digest + '.json');
  let theirs: string[][];
  if (existsSync(file)) theirs = JSON.parse(readFileSync(file, 'utf8')) as string[][];
  else {
    const args = ['-n', '-r', pcap, '-T', 'fields', '-E', 'occurrence=a', '-E', 'aggregator=|', '-E', 'separator=\t'];
    for (const n of names) args.push('-e', n);
    const r = run('tshark', args, { env: TSHARK_ENV });
    if (r.status !== 0) throw new Error(`tshark -T fields failed: ${r.stderr}`);
    theirs = r.stdout.replace(/\n$/, '').split('\n').map((l) => l.split('\t'));
    mkdirSync(CACHE, { recursive: true });
    writeFileSync(file, JSON.stringify(theirs));
  }
  for (const d of compared) out.set(d.id, []);
  const pipe = new Pipeline();
  frames.forEach((fr, i) => {
    const p = pipe.dissectBytes(fr.data, 0, fr.data.length, fr.origlen, linkType, i + 1, fr.sec, fr.nsec);
    compared.forEach((d, k) => {
      const t = theirs[i]?.[k] ?? '';
      let agree: boolean;
      if (d.type === 'protocol') {
        let n = 0;
        for (let j = 0; j < p.tree.count; j++) if (p.tree.fid[j] === d.id) n++;
        agree = n === (t === '' ? 0 : t.split('|').length);
      } else {
        const vals: string[] = [];
        for (let j = 0; j < p.tree.count; j++) if (p.tree.fid[j] === d.id) vals.push(fieldText(p, j));
        agree = vals.join('|') === t;
      }
      out.get(d.id)!.push(agree);
    });
  });
  return out;
}
