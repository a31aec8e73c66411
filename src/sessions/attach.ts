/**
 * Wiring the correlator into the frame pipeline: a post-dissector that extracts events from
 * every dissected frame, feeds the correlator and (optionally) writes the generated
 * `gretool.*` fields (src/sessions/fields.ts) into the frame's tree.
 *
 * Single pass: what is known when the frame is seen — a data frame's binding and direction; a
 * PBA's PBU (backward reference) and response time; a PBU's binding and kind, but not its PBA.
 *
 * Two passes (forward references, `gretool dissect -2`): feed the whole capture once (pass 1:
 * correlation only, nothing written), call `beginSecondPass()`, then dissect the capture again
 * with the same hook (any pipeline): pass 2 re-correlates from scratch
 * (so data attribution is the same as in one pass, at the same point in time) and also writes
 * the PBU → PBA references, response times and the "unanswered" flag learnt in pass 1.
 * Memory stays bounded by bindings and signalling messages: nothing is stored per data frame.
 */
import { GENERATED, type Packet } from '../engine/packet.js';
import type { Pipeline, PostDissector } from '../engine/pipeline.js';
import { Correlator } from './correlator.js';
import type { DataEvent } from './events.js';
import { EXTRACT_DATA, EXTRACT_NONE, EXTRACT_PBA, EXTRACT_PBU, Extractor } from './extract.js';
import { FAST_DATA, FAST_NONE, FAST_PBU, FAST_PBA, FastPath } from './fastpath.js';
import { SESSION_FIELDS as F } from './fields.js';
import { DIR_NONE, REASONS, type SessionListener, type SignallingEvent } from './types.js';

export interface AttachOptions {
  /** Two-pass mode (see the module comment). */
  twoPass: boolean;
  /** Write the generated fields into frames (default true; false for correlation only). */
  annotate?: boolean;
  /** Listeners subscribed to the correlator that annotates (pass 2 in two-pass mode). */
  listeners?: SessionListener[];
}

/** Extractor + correlator + field writer, fed one dissected frame at a time. */
export class SessionTracker {
  readonly extractor: Extractor;
  correlator: Correlator;
  /** Pass-1 correlator in two-pass mode (its pair marks answer forward references). */
  private reference: Correlator | null = null;
  private unansweredFrames: Set<number> | null = null;
  annotate: boolean;
  /**
   * With `fastPath`: tunnelled data frames and well-formed PBUs/PBAs are read from the frame's
   * bytes by the fast path (fastpath.ts, fastsig.ts, tested equal to the Extractor) instead of
   * walking the dissected tree, which in `dissect -V` / `-T json` holds every field.
   */
  private readonly fast: FastPath | null;

  constructor(opts: { annotate?: boolean; recordPairs?: boolean; listeners?: SessionListener[]; fastPath?: boolean } = {}) {
    this.fast = opts.fastPath === true ? new FastPath({ signalling: true }) : null;
    this.extractor = new Extractor();
    this.correlator = new Correlator({ recordPairs: opts.recordPairs ?? false });
    for (const l of opts.listeners ?? []) this.correlator.addListener(l);
    this.annotate = opts.annotate ?? true;
  }

  /** Switches to a fresh correlator that annotates with the pass-1 results. */
  startSecondPass(listeners: SessionListener[] = []): void {
    const ref = this.correlator;
    ref.finish();
    this.reference = ref;
    this.unansweredFrames = new Set(ref.unansweredPbus().map((u) => u.pbu.frame));
    this.correlator = new Correlator();
    for (const l of listeners) this.correlator.addListener(l);
  }

  /** Extracts, correlates and (when annotating) writes the generated fields. */
  feed(p: Packet): void {
    const fast = this.fast;
    if (fast !== null) {
      const k = fast.decodePacket(p);
      if (k === FAST_NONE) return;
      if (k === FAST_DATA) return this.dataFrame(p, fast.data);
      if (k === FAST_PBU) return this.signalFrame(p, EXTRACT_PBU, fast.signal);
      if (k === FAST_PBA) return this.signalFrame(p, EXTRACT_PBA, fast.signal);
    }
    const x = this.extractor;
    const kind = x.extract(p);
    if (kind === EXTRACT_NONE) return;
    if (kind === EXTRACT_DATA) return this.dataFrame(p, x.data);
    this.signalFrame(p, kind, x.signal!);
  }

  /** Correlates a PBU (EXTRACT_PBU) or PBA and (when annotating) writes its generated fields. */
  private signalFrame(p: Packet, kind: number, ev: SignallingEvent): void {
    const c = this.correlator;
    if (kind === EXTRACT_PBU) {
      const o = c.pbu(ev);
      if (!this.annotate) return;
      const root = p.add(F.proto, -1, 0, -1, GENERATED);
      p.addGen(F.session, root, o.binding.id);
      p.addStr(F.kind, -1, 0, root, o.kind, GENERATED);
      if (o.retransmissionOf !== null) p.addGen(F.retransmission, root, o.retransmissionOf);
      const ref = this.reference;
      if (ref !== null) {
        const m = ref.pairMark(ev.frame);
        if (m !== undefined) {
          p.addGen(F.pair_frame, root, m.peer);
          p.addGen(F.pair_time, root, m.responseNs);
        } else if (this.unansweredFrames!.has(ev.frame)) p.addGen(F.unanswered, root, 1);
      }
      return;
    }
    const o = c.pba(ev);
    if (!this.annotate) return;
    const root = p.add(F.proto, -1, 0, -1, GENERATED);
    if (o !== null) {
      p.addGen(F.session, root, o.binding.id);
      p.addStr(F.kind, -1, 0, root, o.kind, GENERATED);
      p.addGen(F.pair_frame, root, o.pbu.frame);
      p.addGen(F.pair_time, root, o.responseNs);
    } else {
      p.addGen(F.unsolicited, root, 1);
      const cand = c.unsolicitedPbas().at(-1)?.candidate;
      if (cand) p.addGen(F.candidate, root, cand.id);
    }
  }

  /** Correlates a data frame and (when annotating) writes its generated fields. */
  private dataFrame(p: Packet, ev: DataEvent): void {
    const r = this.correlator.data(ev);
    if (!this.annotate) return;
    const root = p.add(F.proto, -1, 0, -1, GENERATED);
    if (r.bindingId !== 0) p.addGen(F.session, root, r.bindingId);
    else {
      p.addStr(F.unattributed, -1, 0, root, REASONS[r.reason]!, GENERATED);
      if (r.candidate !== null) p.addGen(F.candidate, root, r.candidate.id);
    }
    if (r.direction !== DIR_NONE) p.addGen(F.direction, root, r.direction);
  }
}

/**
 * The session post-dissector and its controls.
 *
 *   const s = createSessionHook({ twoPass: true });
 *   // pass 1: dissect every frame with s.postDissector installed (nothing is written)
 *   s.beginSecondPass();
 *   // pass 2: dissect every frame again, from the first, with the same hook: fields written
 *   s.finish();
 *
 * The hook is not tied to a Pipeline: install it with `pipeline.addPostDissector(s.postDissector)`
 * or pass it in `DissectOptions.postDissectors` (a new Pipeline per pass is fine).
 */
export interface SessionHook {
  /** Add this to the pipeline(s): it must see every frame of the capture, in order. */
  readonly postDissector: PostDissector;
  readonly tracker: SessionTracker;
  /** 1, or 2 after beginSecondPass(). Single-pass mode stays at 1 (and annotates). */
  readonly pass: 1 | 2;
  /** The correlator being fed (pass 2's in two-pass mode, once begun). */
  readonly correlator: Correlator;
  /**
   * Two-pass mode: ends pass 1 and arms pass 2; frames must then be dissected again from the
   * first, in order. Throws in single-pass mode or when called twice.
   */
  beginSecondPass(): void;
  /** Ends the input (unanswered PBUs) and returns the correlator with the final state. */
  finish(): Correlator;
}

/**
 * Creates the session post-dissector. Single pass (`twoPass: false`): correlates and writes the
 * generated fields as frames go by. Two passes: see SessionHook. Display filters and -c limits
 * must be applied after it (they are: post-dissectors run inside Pipeline.dissect), so that
 * `gretool.session == 3` filters work and the correlation sees every frame.
 */
export function createSessionHook(opts: AttachOptions): SessionHook {
  const twoPass = opts.twoPass;
  const tracker = new SessionTracker({
    annotate: twoPass ? false : (opts.annotate ?? true),
    recordPairs: twoPass,
    listeners: twoPass ? [] : opts.listeners,
    fastPath: true,
  });
  let pass: 1 | 2 = 1;
  return {
    postDissector: (p: Packet) => tracker.feed(p),
    tracker,
    get pass() {
      return pass;
    },
    get correlator() {
      return tracker.correlator;
    },
    beginSecondPass(): void {
      if (!twoPass) throw new Error('beginSecondPass: the session hook was created with twoPass: false');
      if (pass === 2) throw new Error('beginSecondPass called twice');
      pass = 2;
      tracker.startSecondPass(opts.listeners ?? []);
      tracker.annotate = opts.annotate ?? true;
    },
    finish(): Correlator {
      tracker.correlator.finish();
      return tracker.correlator;
    },
  };
}

/** `createSessionHook(opts)` with its post-dissector added to `pipeline`. */
export function attachSessions(pipeline: Pipeline, opts: AttachOptions): SessionHook {
  const hook = createSessionHook(opts);
  pipeline.addPostDissector(hook.postDissector);
  return hook;
}
