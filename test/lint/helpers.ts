/**
 * Helpers for the lint tests: captures made with the generator (built-in scenarios and named
 * faults), linting them, and facts about their frames read back by dissection (independent of
 * the linter), to compute which frames a finding must name.
 */
import '../../src/dissectors/index.js';
// The link and IP layers, in case src/dissectors/index.ts does not list them yet (a module is
// evaluated once, so these are no-ops once it does).
import '../../src/dissectors/eth/index.js';
import '../../src/dissectors/ipv4/index.js';
import '../../src/dissectors/ipv6/index.js';
import '../../src/dissectors/udp/index.js';
import { join } from 'node:path';
import { openCapture, forEachRecord } from '../../src/capture/index.js';
import { dissectCapture } from '../../src/output/dissect.js';
import { generateCapture, loadScenario } from '../../src/generate/index.js';
import { resolvePolicy, type LintPolicy } from '../../src/lint/config.js';
import { lintCapture, type CaptureResult } from '../../src/lint/run.js';
import type { Finding } from '../../src/lint/engine.js';
import { tempDir } from '../helpers/cli.js';

export const TMP = tempDir('gretool-lint-');

const made = new Map<string, Promise<string>>();

/** A capture of a built-in scenario with the given faults (cached per test process). */
export function capture(scenario: string, faults: readonly string[] = []): Promise<string> {
  const name = `${scenario}${faults.length ? '+' + faults.join('+') : ''}`;
  let p = made.get(name);
  if (!p) {
    const path = join(TMP, `${name}.pcap`);
    p = generateCapture(loadScenario(scenario), path, { faults }).then(() => path);
    made.set(name, p);
  }
  return p;
}

/** Lints a capture with a command-line-style policy (no config file). */
export function lint(path: string, cli: LintPolicy = {}): Promise<CaptureResult> {
  return lintCapture(path, { policy: resolvePolicy({ noConfig: true, cli }) });
}

/** Every frame's bytes. */
export async function frameBytes(path: string): Promise<Uint8Array[]> {
  const out: Uint8Array[] = [];
  const r = await openCapture(path);
  try {
    await forEachRecord(r, (rec) => {
      out.push(rec.data.slice(rec.offset, rec.offset + rec.caplen));
    });
  } finally {
    await r.close();
  }
  return out;
}

/** Frame numbers whose bytes differ between two captures with the same number of frames. */
export async function changedFrames(a: string, b: string): Promise<number[]> {
  const x = await frameBytes(a);
  const y = await frameBytes(b);
  if (x.length !== y.length) throw new Error(`frame counts differ: ${x.length} vs ${y.length}`);
  const out: number[] = [];
  for (let i = 0; i < x.length; i++) if (Buffer.compare(x[i]!, y[i]!) !== 0) out.push(i + 1);
  return out;
}

export interface FrameFact {
  number: number;
  /** 5 PBU, 6 PBA, -1 otherwise. */
  mhType: number;
  /** Sequence number of a PBU/PBA, else -1. */
  seq: number;
  /** A GRE header is present. */
  gre: boolean;
}

/** What each frame is, read back by dissection (not through the linter or the correlator). */
export async function frameFacts(path: string): Promise<FrameFact[]> {
  const out: FrameFact[] = [];
  await dissectCapture(path, (f) => {
    const t = f.get('mip6.mhtype');
    const mhType = typeof t === 'number' ? t : -1;
    const s = mhType === 5 ? f.get('mip6.bu.seqnr') : mhType === 6 ? f.get('mip6.ba.seqnr') : undefined;
    out.push({ number: f.number, mhType, seq: typeof s === 'number' ? s : -1, gre: f.has('gre') });
  });
  return out;
}

/** Findings of one rule. */
export function ofRule(r: CaptureResult, id: string): Finding[] {
  return r.findings.filter((f) => f.rule === id);
}

/** The sorted union of the frames of some findings. */
export function framesOf(fs: readonly Finding[]): number[] {
  return [...new Set(fs.flatMap((f) => f.frames))].sort((a, b) => a - b);
}

/** "RULE@frames" lines for assertion messages. */
export function describe(r: CaptureResult): string {
  return r.findings.map((f) => `${f.rule}[${f.severity}]@${f.frames.slice(0, 8).join(',')}${f.frames.length > 8 ? ',…' : ''}: ${f.message}`).join('\n') || '(no findings)';
}
