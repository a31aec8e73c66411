/**
 * Linting captures: open, dissect every frame, feed the session correlator with the linter's
 * listener, collect packet findings, finish. Several captures are linted one after another,
 * each with its own correlator (sessions do not span files), into one combined report.
 */
import '../dissectors/index.js';
import { existsSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { Worker } from 'node:worker_threads';
import { openCapture, type CaptureReader, type CaptureSource } from '../capture/index.js';
import { Pipeline } from '../engine/pipeline.js';
import { GretoolError } from '../errors.js';
import { SessionTracker } from '../sessions/attach.js';
import { extractorWant } from '../sessions/extract.js';
import { FAST_DATA, FAST_NONE, FAST_PBA, FAST_PBU, FastPath } from '../sessions/fastpath.js';
import { ENCAP_UDP_TLV } from '../sessions/types.js';
import { fails, resolvePolicy, type FailOn, type ResolvedPolicy } from './config.js';
import { Linter, type Finding } from './engine.js';
import { RULES } from './rules/index.js';
import type { Severity } from './rule.js';

export interface LintCaptureOptions {
  policy?: ResolvedPolicy;
  /** Name used in findings (default: the path; "(stdin)" for "-"). */
  name?: string;
  /** Called every `progressEvery` frames and at the end. */
  onProgress?: (frames: number, fileOffset: number, fileSize: number | undefined) => void;
  progressEvery?: number;
  debug?: boolean;
  /**
   * Decode well-formed tunnelled data frames with the session correlator's fast path
   * (src/sessions/fastpath.ts) instead of the full dissectors (default true). The fast path
   * accepts only shapes on which no packet-scope rule can fire (plain GRE version 0 without
   * reserved bits or checksum, IPv4/IPv6 payload; TLV type 0 with a consistent length on the
   * data port); the linter also sends TLV frames without GRE to the full path (P-TLV-NH-NOT-GRE).
   * Frames it calls "nothing to extract" (non-IP, TCP, ICMP, …) carry no lint rule either.
   * PBUs/PBAs it decodes (src/sessions/fastsig.ts) are those whose full dissection raises no
   * expert item at all: no packet finding, not malformed (test/sessions/fastsig.test.ts).
   * test/lint/fastpath.test.ts checks that findings are identical with and without it.
   */
  fastPath?: boolean;
  /** Distinct findings kept per rule (default FINDING_CAP, src/lint/engine.ts); see LinterOptions. */
  findingCap?: number;
  /** Dropped findings remembered per rule to count each once (default DROPPED_KEY_CAP); see LinterOptions. */
  droppedKeyCap?: number;
}

export interface CaptureResult {
  capture: string;
  frames: number;
  findings: Finding[];
  /**
   * Per rule id: distinct findings not kept because the rule passed the per-rule cap (what
   * `findings` would hold in addition without it; a recurring finding counts once). Exact,
   * unless the rule id is in `droppedAtLeast` (then a lower bound). See CaptureLint.
   */
  dropped: Record<string, number>;
  /** Rule ids whose `dropped` count is a lower bound (more dropped findings than could be remembered). */
  droppedAtLeast: string[];
  /** Reader warnings ("frame 12: …"). */
  warnings: string[];
  /** Seconds spent. */
  seconds: number;
  /** Set when the capture could not be read completely (what was read was linted). */
  error?: { code: string; message: string };
}

/** Lints one capture (path, '-' for stdin, bytes or a stream). Open errors reject. */
export async function lintCapture(source: CaptureSource | CaptureReader, opts: LintCaptureOptions = {}): Promise<CaptureResult> {
  const t0 = process.hrtime.bigint();
  const policy = opts.policy ?? resolvePolicy({ noConfig: true });
  const reader = isReader(source) ? source : await openCapture(source);
  const name = opts.name ?? (typeof source === 'string' ? (source === '-' ? '(stdin)' : source) : '(memory)');
  // Only what the session Extractor reads is materialised, and no summary column: the rules see
  // the expert items, which the dissectors add whatever the mask (test/engine/want.test.ts,
  // "lint inputs"), and the correlator's events
  const pipeline = new Pipeline({ debug: opts.debug ?? false, want: extractorWant(), columns: false });
  const linter = new Linter({ policy, capture: name, findingCap: opts.findingCap, droppedKeyCap: opts.droppedKeyCap });
  const tracker = new SessionTracker({ annotate: false, listeners: [linter.listener] });
  const every = opts.progressEvery ?? 65536;
  const onProgress = opts.onProgress;
  const fileSize = reader.info.fileSize;
  const correlator = tracker.correlator;
  const fast = opts.fastPath === false ? null : new FastPath({ signalling: true, addresses: correlator.addressTable });
  let frames = 0;
  let lastOffset = 0;
  let error: unknown;
  try {
    for (;;) {
      let rec;
      while ((rec = reader.next()) !== null) {
        let full = true;
        if (fast !== null) {
          const k = fast.decode(rec);
          if (k === FAST_NONE) full = false;
          else if (k === FAST_DATA && (fast.data.gre || fast.data.encap !== ENCAP_UDP_TLV)) {
            correlator.data(fast.data);
            full = false;
          } else if (k === FAST_PBU || k === FAST_PBA) {
            linter.cleanFrame(); // what begin() notes for a frame without expert items
            if (k === FAST_PBU) correlator.pbu(fast.signal);
            else correlator.pba(fast.signal);
            full = false;
          }
        }
        if (full) {
          const p = pipeline.dissect(rec);
          linter.begin(p);
          tracker.feed(p);
          if (p.experts.count !== 0) linter.packet(p);
        }
        frames++;
        if (onProgress !== undefined && frames % every === 0) onProgress(frames, rec.fileOffset, fileSize);
        lastOffset = rec.fileOffset;
      }
      if (!(await reader.fill())) break;
    }
  } catch (e) {
    if (!(e instanceof GretoolError)) throw e;
    error = e;
  } finally {
    await reader.close();
  }
  tracker.correlator.finish();
  onProgress?.(frames, fileSize ?? lastOffset, fileSize);
  const lint = linter.finish();
  const out: CaptureResult = {
    capture: name,
    frames,
    findings: lint.findings,
    dropped: lint.dropped,
    droppedAtLeast: lint.droppedAtLeast,
    warnings: reader.warnings.map((w) => `${w.frame ? `frame ${w.frame}: ` : ''}${w.message}`),
    seconds: Number(process.hrtime.bigint() - t0) / 1e9,
  };
  if (error !== undefined) out.error = { code: (error as GretoolError).code, message: (error as GretoolError).message };
  return out;
}

function isReader(x: unknown): x is CaptureReader {
  return typeof x === 'object' && x !== null && typeof (x as CaptureReader).next === 'function' && typeof (x as CaptureReader).fill === 'function';
}

// ------------------------------------------------------------------ combined report

export interface LintSummary {
  captures: number;
  frames: number;
  /** Findings (aggregated entries) and occurrences. */
  findings: number;
  occurrences: number;
  bySeverity: Record<Severity, number>;
  /** Findings per rule id (only rules with findings). */
  byRule: Record<string, number>;
  rulesEnabled: number;
  rulesTotal: number;
  failOn: FailOn;
  /** Findings at or above --fail-on. */
  failing: number;
  /** True when the verdict is "problems found" (exit 1). */
  failed: boolean;
  /** Captures that could not be read completely. */
  inputErrors: number;
  /**
   * Distinct findings not kept because of the per-rule cap (FINDING_CAP per rule and capture),
   * summed over rules and captures: how many more `findings` there would be without it. A
   * finding that recurs counts once. Per capture and rule: CaptureResult.dropped.
   */
  dropped: number;
  /** True when `dropped` is a lower bound (some rule dropped more findings than could be remembered). */
  droppedAtLeast: boolean;
  configFile: string | null;
}

export interface LintReport {
  captures: CaptureResult[];
  /** All findings of all captures, grouped by rule (catalog order), then capture, then frame. */
  findings: Finding[];
  summary: LintSummary;
  policy: ResolvedPolicy;
}

export function buildReport(captures: CaptureResult[], policy: ResolvedPolicy): LintReport {
  const order = new Map(RULES.map((r, i) => [r.id, i]));
  const capIdx = new Map(captures.map((c, i) => [c, i]));
  const findings: { f: Finding; c: number }[] = [];
  captures.forEach((c) => c.findings.forEach((f) => findings.push({ f, c: capIdx.get(c)! })));
  findings.sort((a, b) => order.get(a.f.rule)! - order.get(b.f.rule)! || a.c - b.c || (a.f.frames[0] ?? 0) - (b.f.frames[0] ?? 0));
  const all = findings.map((x) => x.f);
  const bySeverity: Record<Severity, number> = { error: 0, warning: 0, info: 0 };
  const byRule: Record<string, number> = {};
  let occurrences = 0;
  let failing = 0;
  for (const f of all) {
    bySeverity[f.severity]++;
    byRule[f.rule] = (byRule[f.rule] ?? 0) + 1;
    occurrences += f.occurrences;
    if (fails(f.severity, policy.failOn)) failing++;
  }
  const dropped = captures.reduce((n, c) => n + Object.values(c.dropped).reduce((a, b) => a + b, 0), 0);
  return {
    captures,
    findings: all,
    policy,
    summary: {
      captures: captures.length,
      frames: captures.reduce((n, c) => n + c.frames, 0),
      findings: all.length,
      occurrences,
      bySeverity,
      byRule,
      rulesEnabled: policy.enabled.filter(Boolean).length,
      rulesTotal: RULES.length,
      failOn: policy.failOn,
      failing,
      failed: failing > 0,
      inputErrors: captures.filter((c) => c.error !== undefined).length,
      dropped,
      droppedAtLeast: captures.some((c) => c.droppedAtLeast.length > 0),
      configFile: policy.configFile,
    },
  };
}

export type LintCapturesOptions = Omit<LintCaptureOptions, 'name' | 'onProgress'> & {
  policy: ResolvedPolicy;
  onProgress?: (index: number, frames: number, fileOffset: number, fileSize: number | undefined) => void;
  /**
   * Captures linted at the same time in worker threads (default 1: one after another). Used only
   * from the built JavaScript (the worker is dist/src/lint/worker.js) and for files (stdin is
   * linted in the main thread); the report is the same, in the order the captures were given.
   */
  jobs?: number;
};

/** The worker script next to this module, when it exists (built JavaScript, not tsx). */
function workerScript(): URL | null {
  const url = new URL('./worker.js', import.meta.url);
  return import.meta.url.endsWith('.js') && existsSync(fileURLToPath(url)) ? url : null;
}

function failed(s: string, e: GretoolError): CaptureResult {
  return { capture: s === '-' ? '(stdin)' : s, frames: 0, findings: [], dropped: {}, droppedAtLeast: [], warnings: [], seconds: 0, error: { code: e.code, message: e.message } };
}

/** Lints one capture in a worker thread. */
function lintInWorker(script: URL, path: string, opts: LintCapturesOptions): Promise<CaptureResult> {
  return new Promise((resolve, reject) => {
    const w = new Worker(script, { workerData: { path, policy: opts.policy, debug: opts.debug ?? false, findingCap: opts.findingCap, droppedKeyCap: opts.droppedKeyCap } });
    w.once('message', (m: { ok: boolean; result?: CaptureResult; gretool?: boolean; code?: string; message?: string; stack?: string }) => {
      if (m.ok) resolve(m.result!);
      else if (m.gretool) resolve(failed(path, new GretoolError(m.code as GretoolError['code'], m.message ?? '')));
      else {
        const e = new Error(m.message);
        if (m.stack) e.stack = m.stack;
        reject(e);
      }
    });
    w.once('error', reject);
  });
}

/**
 * Lints several captures into one report, one after another (or `jobs` at a time in worker
 * threads). A capture that cannot be opened is recorded with its error (and 0 frames) and the
 * others are still linted.
 */
export async function lintCaptures(sources: readonly string[], opts: LintCapturesOptions): Promise<LintReport> {
  const jobs = Math.max(1, Math.floor(opts.jobs ?? 1));
  const script = jobs > 1 && sources.length > 1 ? workerScript() : null;
  if (script !== null) {
    const results: CaptureResult[] = new Array(sources.length);
    let next = 0;
    const lane = async (): Promise<void> => {
      while (next < sources.length) {
        const i = next++;
        const s = sources[i]!;
        if (s === '-') {
          try {
            results[i] = await lintCapture(s, { ...opts, onProgress: undefined });
          } catch (e) {
            if (!(e instanceof GretoolError)) throw e;
            results[i] = failed(s, e);
          }
        } else results[i] = await lintInWorker(script, s, opts);
      }
    };
    await Promise.all(Array.from({ length: Math.min(jobs, sources.length) }, lane));
    return buildReport(results, opts.policy);
  }
  const results: CaptureResult[] = [];
  for (let i = 0; i < sources.length; i++) {
    const s = sources[i]!;
    const onProgress = opts.onProgress;
    try {
      results.push(await lintCapture(s, { ...opts, onProgress: onProgress ? (n, off, size) => onProgress(i, n, off, size) : undefined }));
    } catch (e) {
      if (!(e instanceof GretoolError)) throw e;
      results.push(failed(s, e));
    }
  }
  return buildReport(results, opts.policy);
}
