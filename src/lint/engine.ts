/**
 * The linter for one capture: collects packet-scope findings from the expert items the
 * dissectors attached to each frame (by rule id), and runs the pair/session rules on the session
 * correlator's events. Findings are aggregated (same rule, message, session → one finding with
 * many frames) and bounded in memory.
 *
 *   const linter = new Linter({ policy, capture: 'x.pcap' });
 *   const tracker = new SessionTracker({ annotate: false, listeners: [linter.listener] });
 *   for each frame: { const p = pipeline.dissect(rec); linter.begin(p); tracker.feed(p); linter.packet(p); }
 *   tracker.correlator.finish(); const result = linter.finish();
 *
 * Hot path: a frame without expert items costs one comparison in `packet()`. A data frame costs
 * the shape-cache probe in `onData` (see RuleHooks.onData); the rules run only when the frame's
 * shape differs from the last clean one of its binding and direction, or when the binding's
 * state changed.
 */
import { allExperts, expertDef, formatExpert, type ExpertDef } from '../engine/expert.js';
import type { Packet } from '../engine/packet.js';
import type { DataEvent } from '../sessions/events.js';
import { DIR_UP, type BindingChange, type BindingView, type DataResult, type PairOutcome, type PbuOutcome, type SessionListener, type SignallingEvent } from '../sessions/types.js';
import type { ResolvedPolicy } from './config.js';
import { RULES } from './rules/index.js';
import { severityOfExpert, specText, type FindingInput, type FindingRef, type Rule, type RuleContext, type RuleHooks, type SessionRule, type Severity } from './rule.js';

/** Frame numbers kept per finding (occurrences keep counting past it). */
export const FRAME_CAP = 1000;
/** Distinct findings kept per rule and capture (further ones are counted, not kept). */
export const FINDING_CAP = 10000;
/**
 * Dropped findings (past FINDING_CAP) remembered by aggregation key per rule and capture, so
 * that each is counted once however often it recurs. Past it the count is a lower bound.
 */
export const DROPPED_KEY_CAP = 100000;

/** One finding, as reported. */
export interface Finding {
  rule: string;
  severity: Severity;
  /** Frame numbers it rests on, ascending (at most FRAME_CAP). */
  frames: number[];
  /** True when more frames were seen than `frames` holds. */
  framesTruncated: boolean;
  /** How many times it was seen (frames, or pairs for pair rules). */
  occurrences: number;
  /** Binding id (as in `gretool sessions`), null when unknown. */
  session: number | null;
  message: string;
  /** The RFC sections it rests on. */
  spec: string;
  /** The capture it was found in. */
  capture: string;
}

class FindingImpl implements FindingRef {
  frames: number[] = [];
  occurrences = 0;
  truncated = false;
  /** Later occurrences had other values in the message (the first one is shown). */
  varied = false;
  private last = -1;
  constructor(
    readonly ruleIndex: number,
    readonly severity: Severity,
    readonly session: number | null,
    readonly message: string,
  ) {}
  push(f: number): void {
    if (f === this.last) return;
    this.last = f;
    if (this.frames.length < FRAME_CAP) this.frames.push(f);
    else this.truncated = true;
  }
  add(frame: number, frame2?: number): void {
    this.occurrences++;
    this.push(frame);
    if (frame2 !== undefined) this.push(frame2);
  }
}

/** A dropped finding (past FINDING_CAP): counted only; its later occurrences change nothing. */
const NULL_REF: FindingRef = { add() {} };

export interface CaptureLint {
  capture: string;
  findings: Finding[];
  /**
   * Per rule id (only rules that passed the cap): how many distinct findings were not kept
   * because the rule already had FINDING_CAP of them, i.e. how many more entries `findings`
   * would hold without the cap. A finding that recurs (more frames of the same session and
   * problem) counts once, as it would be one entry. Exact, unless the rule id is also in
   * `droppedAtLeast`.
   */
  dropped: Record<string, number>;
  /**
   * Rule ids whose `dropped` count is a lower bound: more than DROPPED_KEY_CAP distinct findings
   * were dropped, and those past it could not be told apart from the ones already counted
   * without unbounded memory. Empty in the usual case.
   */
  droppedAtLeast: string[];
}

export interface LinterOptions {
  policy: ResolvedPolicy;
  /** Name of the capture (path as given) for findings and messages. */
  capture: string;
  /** Distinct findings kept per rule (default FINDING_CAP; a lower one shows the cap at work in tests). */
  findingCap?: number;
  /** Dropped findings remembered per rule to count each once (default DROPPED_KEY_CAP). */
  droppedKeyCap?: number;
}

const SHAPE_DIR_UP = 1 << 8;
const SC_STRIDE = 8;
const SC_VERSION = 0;
/** Offset of a direction's entry: up at 1, down at 4 (version, shape, key). */
const SC_UP = 1;
const SC_DOWN = 4;

export class Linter {
  readonly listener: SessionListener;
  private readonly policy: ResolvedPolicy;
  private readonly capture: string;
  /** Per rule: findings by aggregation key. */
  private readonly byKey: Map<string | number, FindingImpl>[] = RULES.map(() => new Map());
  private readonly all: FindingImpl[] = [];
  /** Per rule: findings kept. */
  private readonly kept = new Int32Array(RULES.length);
  /** Per rule: distinct findings dropped (past the finding cap). */
  private readonly dropped = new Float64Array(RULES.length);
  /** Per rule: aggregation keys of the dropped findings (at most droppedKeyCap), made on the first drop. */
  private readonly droppedKeys: (Set<string | number> | undefined)[] = RULES.map(() => undefined);
  /** Per rule: 1 when a dropped key was seen after droppedKeys was full (the count is a lower bound). */
  private readonly droppedOver = new Uint8Array(RULES.length);
  private readonly findingCap: number;
  private readonly droppedKeyCap: number;
  /** Expert id → rule index (-1: not a rule, or disabled). */
  private expertRule = new Int16Array(0);
  /** Expert id → 1 when its group is "malformed" (the frame's content cannot be trusted). */
  private expertMalformed = new Uint8Array(0);
  /** The current frame, when it carries a malformed-group expert item; else -1. */
  private malformedFrame = -1;
  /** Malformed PBUs (their PBA's pair is not judged). */
  private readonly unreliablePbus = new Set<number>();
  private reports = 0;
  // frame context for packet findings
  private curFrame = -1;
  private curSession: number | null = null;
  /**
   * Data-shape cache: one record of SC_STRIDE int32 per binding id, so that a data frame reads
   * one cache line: [version, then per direction (up, down): cached version, shape, key | 0].
   * The version is bumped when the binding changes (a cached entry of an older version is
   * void); 0 means "no entry", so versions start at 1. key | 0 is unambiguous with the shape,
   * which records whether there is a key.
   */
  private cache = new Int32Array(SC_STRIDE * 256);

  constructor(opts: LinterOptions) {
    this.policy = opts.policy;
    this.capture = opts.capture;
    this.findingCap = capOption(opts.findingCap, FINDING_CAP, 'findingCap');
    this.droppedKeyCap = capOption(opts.droppedKeyCap, DROPPED_KEY_CAP, 'droppedKeyCap');
    this.buildExpertMap();
    const hooks: RuleHooks[] = [];
    const shapeData: NonNullable<RuleHooks['onData']>[] = [];
    const everyData: NonNullable<RuleHooks['onData']>[] = [];
    const seqData: NonNullable<RuleHooks['onData']>[] = [];
    RULES.forEach((rule, i) => {
      if (rule.detection !== 'correlator' || !this.policy.enabled[i]) return;
      const h = rule.create(this.contextFor(i, rule));
      hooks.push(h);
      if (!h.onData) return;
      const kind = (rule as SessionRule).data;
      (kind === 'every' ? everyData : kind === 'sequenced' ? seqData : shapeData).push(h.onData.bind(h));
    });
    const pick = <K extends keyof RuleHooks>(k: K): NonNullable<RuleHooks[K]>[] =>
      hooks.filter((h) => h[k] !== undefined).map((h) => (h[k] as (...a: unknown[]) => void).bind(h) as NonNullable<RuleHooks[K]>);
    const onPbu = pick('onPbu');
    const onPair = pick('onPair');
    const onUnsol = pick('onUnsolicitedPba');
    const onBinding = pick('onBinding');
    const onUnans = pick('onUnansweredPbu');
    const onFinish = pick('onFinish');
    const self = this;
    this.listener = {
      onPbu(o: PbuOutcome) {
        self.curFrame = o.pbu.frame;
        self.curSession = o.binding.id;
        if (self.malformedFrame === o.pbu.frame) {
          self.unreliablePbus.add(o.pbu.frame);
          return;
        }
        for (const f of onPbu) f(o);
      },
      onPair(o: PairOutcome) {
        self.curFrame = o.pba.frame;
        self.curSession = o.binding.id;
        self.bump(o.binding.id);
        if (self.malformedFrame === o.pba.frame || self.unreliablePbus.has(o.pbu.frame)) return;
        for (const f of onPair) f(o);
      },
      onUnsolicitedPba(pba: SignallingEvent, cand: BindingView | null) {
        self.curFrame = pba.frame;
        self.curSession = cand?.id ?? null;
        for (const f of onUnsol) f(pba, cand);
      },
      onBinding(c: BindingChange) {
        self.bump(c.binding.id);
        for (const f of onBinding) f(c);
      },
      onData(ev: DataEvent, r: DataResult) {
        self.curFrame = ev.frame;
        const id = r.bindingId;
        self.curSession = id !== 0 ? id : r.candidate !== null ? r.candidate.id : null;
        for (let i = 0; i < everyData.length; i++) everyData[i]!(ev, r);
        if (ev.hasSeq) for (let i = 0; i < seqData.length; i++) seqData[i]!(ev, r);
        if (shapeData.length === 0) return;
        if (id === 0) {
          for (let i = 0; i < shapeData.length; i++) shapeData[i]!(ev, r);
          return;
        }
        const rec = id * SC_STRIDE;
        if (rec >= self.cache.length) self.growCache(id);
        const c = self.cache;
        const up = r.direction === DIR_UP;
        const e = rec + (up ? SC_UP : SC_DOWN);
        const shape = ev.encap | (ev.gre ? 16 : 0) | (ev.hasKey ? 32 : 0) | (up ? SHAPE_DIR_UP : 0);
        const key = ev.hasKey ? ev.key | 0 : -1;
        const ver = c[rec + SC_VERSION]! + 1; // stored as version − 1, so that a zeroed record is version 1
        if (c[e] === ver && c[e + 1] === shape && c[e + 2] === key) return;
        const before = self.reports;
        for (let i = 0; i < shapeData.length; i++) shapeData[i]!(ev, r);
        if (self.reports === before) {
          c[e] = ver;
          c[e + 1] = shape;
          c[e + 2] = key;
        }
      },
      onUnansweredPbu(pbu: SignallingEvent, b: BindingView) {
        for (const f of onUnans) f(pbu, b);
      },
      onFinish() {
        for (const f of onFinish) f();
      },
    };
  }

  /**
   * Call for every dissected frame before the session tracker sees it: notes whether the frame
   * is malformed (a malformed-group expert item), so that the pair and PBU rules do not judge a
   * PBU/PBA whose content could not be read reliably (its packet findings say what is wrong).
   */
  begin(p: Packet): void {
    const ex = p.experts;
    const n = ex.count;
    if (n === 0) {
      this.malformedFrame = -1;
      return;
    }
    let m = -1;
    for (let i = 0; i < n; i++) {
      const id = ex.id[i]!;
      if (id >= this.expertMalformed.length) this.buildExpertMap();
      if (this.expertMalformed[id] === 1) {
        m = p.number;
        break;
      }
    }
    this.malformedFrame = m;
  }

  /**
   * Instead of begin(p) for a frame that was not dissected because its dissection raises no
   * expert item (the fast path's PBUs/PBAs): not malformed.
   */
  cleanFrame(): void {
    this.malformedFrame = -1;
  }

  /** Collects the packet-scope findings of a dissected frame (call after the session tracker saw it). */
  packet(p: Packet): void {
    const ex = p.experts;
    const n = ex.count;
    if (n === 0) return;
    for (let i = 0; i < n; i++) {
      const id = ex.id[i]!;
      if (id >= this.expertRule.length) this.buildExpertMap();
      const ri = this.expertRule[id]!;
      if (ri < 0) continue;
      this.packetFinding(ri, expertDef(id), p, ex.args[2 * i], ex.args[2 * i + 1]);
    }
  }

  private packetFinding(ri: number, def: ExpertDef, p: Packet, a0: string | number | undefined, a1: string | number | undefined): void {
    const rule = RULES[ri]!;
    const session = this.curFrame === p.number ? this.curSession : null;
    const detected: Severity = rule.detection === 'expert' && rule.variableSeverity ? severityOfExpert(def.severity) : rule.severity;
    // one finding per (expert item, session, severity); values in the message may differ per frame
    const key = `${def.id}\u0000${session ?? ''}\u0000${detected}`;
    const hit = this.byKey[ri]!.get(key);
    if (hit !== undefined) {
      this.reports++;
      hit.add(p.number);
      if (!hit.varied && (a0 !== undefined || a1 !== undefined) && formatExpert(def, a0, a1) !== hit.message) hit.varied = true;
      return;
    }
    this.keyed(ri, key, p.number, () => ({ frames: [p.number], session, message: formatExpert(def, a0, a1), severity: detected }));
  }

  /** The finding list of this capture, grouped by rule (catalog order), then by first frame. */
  finish(): CaptureLint {
    const findings: Finding[] = this.all.map((f) => {
      const frames = [...new Set(f.frames)].sort((a, b) => a - b);
      const rule = RULES[f.ruleIndex]!;
      return {
        rule: rule.id,
        severity: f.severity,
        frames,
        framesTruncated: f.truncated,
        occurrences: f.occurrences,
        session: f.session,
        message: f.varied ? `${f.message} (values differ between frames; the first is shown)` : f.message,
        spec: specText(rule),
        capture: this.capture,
      };
    });
    const order = new Map(RULES.map((r, i) => [r.id, i]));
    findings.sort((a, b) => order.get(a.rule)! - order.get(b.rule)! || (a.frames[0] ?? 0) - (b.frames[0] ?? 0));
    const dropped: Record<string, number> = {};
    const droppedAtLeast: string[] = [];
    this.dropped.forEach((n, i) => {
      if (n > 0) dropped[RULES[i]!.id] = n;
      if (this.droppedOver[i] === 1) droppedAtLeast.push(RULES[i]!.id);
    });
    return { capture: this.capture, findings, dropped, droppedAtLeast };
  }

  // ------------------------------------------------------------------ internals

  private buildExpertMap(): void {
    const defs = allExperts();
    const m = new Int16Array(defs.length).fill(-1);
    const mal = new Uint8Array(defs.length);
    const index = new Map(RULES.map((r, i) => [r.id, i]));
    for (const d of defs) {
      if (d.group === 'malformed') mal[d.id] = 1;
      if (d.rule === undefined) continue;
      const ri = index.get(d.rule);
      if (ri !== undefined && this.policy.enabled[ri] && RULES[ri]!.detection === 'expert') m[d.id] = ri;
    }
    this.expertRule = m;
    this.expertMalformed = mal;
  }

  /** The binding changed: its cached data shapes are void. */
  private bump(id: number): void {
    const rec = id * SC_STRIDE;
    if (rec >= this.cache.length) this.growCache(id);
    this.cache[rec + SC_VERSION]!++;
  }

  private growCache(id: number): void {
    const c = new Int32Array(Math.max((id + 1) * SC_STRIDE, this.cache.length * 2));
    c.set(this.cache);
    this.cache = c;
  }

  private severityFor(ri: number, f: FindingInput): Severity {
    return this.policy.severity[ri] ?? f.severity ?? RULES[ri]!.severity;
  }

  /** A new finding (`report()`: every call is a finding of its own; the rule aggregates). */
  private create(ri: number, f: FindingInput): FindingRef {
    this.reports++;
    if (this.kept[ri]! >= this.findingCap) {
      this.dropped[ri]!++;
      return NULL_REF;
    }
    return this.keep(ri, f);
  }

  private keep(ri: number, f: FindingInput): FindingImpl {
    this.kept[ri]!++;
    const impl = new FindingImpl(ri, this.severityFor(ri, f), f.session ?? null, f.message);
    impl.occurrences = 1;
    for (const fr of f.frames) impl.push(fr);
    this.all.push(impl);
    return impl;
  }

  private keyed(ri: number, key: string | number, frame: number, make: () => FindingInput): void {
    // every call is a report, kept or not: the data-shape cache must not take the frame's
    // shape as clean (onData)
    this.reports++;
    const m = this.byKey[ri]!;
    const hit = m.get(key);
    if (hit !== undefined) {
      hit.add(frame);
      return;
    }
    if (this.kept[ri]! < this.findingCap) {
      m.set(key, this.keep(ri, make()));
      return;
    }
    // past the cap: a finding is counted once, however often its key recurs (`make` is not run)
    let seen = this.droppedKeys[ri];
    if (seen === undefined) this.droppedKeys[ri] = seen = new Set();
    if (seen.has(key)) return;
    if (seen.size < this.droppedKeyCap) {
      seen.add(key);
      this.dropped[ri]!++;
    } else if (this.droppedOver[ri] === 0) {
      // the first key that does not fit is surely new (every dropped key so far is in `seen`);
      // later ones may be it again or one another: from here the count is a lower bound
      this.droppedOver[ri] = 1;
      this.dropped[ri]!++;
    }
  }

  private contextFor(ri: number, _rule: Rule): RuleContext {
    return {
      capture: this.capture,
      report: (f) => this.create(ri, f),
      keyed: (key, frame, make) => this.keyed(ri, key, frame, make),
    };
  }
}

function capOption(v: number | undefined, dflt: number, name: string): number {
  if (v === undefined) return dflt;
  if (!Number.isInteger(v) || v < 0) throw new RangeError(`LinterOptions.${name} must be a non-negative integer (got ${v})`);
  return v;
}
