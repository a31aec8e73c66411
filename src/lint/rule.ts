/**
 * Lint rules as data. Every rule of shared/spec/lint-rules.md is declared once, with its public
 * id, default severity, scope, the RFC sections it rests on, a one-line summary, an explanation
 * of what was seen and how to fix it. The text report, JSON, JUnit, SARIF, `--list-rules` and
 * docs/lint.md all read these declarations.
 *
 * Two kinds of detection:
 *   - packet rules (`defineExpertRule`): decided from one frame by a dissector, which raises an
 *     expert item carrying the rule id (src/dissectors/*: `rule: 'P-…'`). The linter only
 *     collects them; no protocol knowledge is repeated here.
 *   - pair / session rules (`defineSessionRule`): built on the session correlator's events
 *     (src/sessions: PBU/PBA pairs, binding changes, attributed data). One file per rule in
 *     src/lint/rules/, listed once in src/lint/rules/index.ts.
 */
import type { BindingChange, BindingView, DataResult, PairOutcome, PbuOutcome, SignallingEvent } from '../sessions/types.js';
import type { DataEvent } from '../sessions/events.js';

export type Severity = 'error' | 'warning' | 'info';
export const SEVERITIES: readonly Severity[] = ['error', 'warning', 'info'];
export const SEVERITY_RANK: Readonly<Record<Severity, number>> = { info: 1, warning: 2, error: 3 };

/** Scope, in the catalog's words (lint-rules.md: "packet", "pair", "session + data", "per key", …). */
export type Scope = 'packet' | 'pair' | 'pair + session' | 'session' | 'session + data' | 'per LMA' | 'all sessions' | 'per key';

/** One specification reference: `{ rfc: 5845, section: '6.1', note: 'N34' }` → "RFC 5845 §6.1 (N34)". */
export interface SpecRef {
  rfc: number;
  /** Section number without "§" ("6.1", "3.3.2"); empty for the whole RFC. */
  section: string;
  /** Normative-sentence numbers of lint-rules.md §5 or a short qualifier. */
  note?: string;
}

export interface RuleMeta {
  /** Public rule id (lint-rules.md), reported verbatim. */
  id: string;
  /** Default severity. */
  severity: Severity;
  /** When the catalog gives a conditional severity ("error if 0x0400 set, else warning"). */
  severityNote?: string;
  /**
   * True when findings may come at another severity than the default (the conditional
   * severities of the catalog). For packet rules the finding then takes the expert item's
   * severity; pair/session rules set it per finding. A user override (--severity) still wins.
   */
  variableSeverity?: boolean;
  scope: Scope;
  refs: readonly SpecRef[];
  /** One line: what the rule checks. */
  summary: string;
  /** What was seen and why it matters. */
  explanation: string;
  /** How to fix it. */
  fix: string;
}

export interface ExpertRule extends RuleMeta {
  detection: 'expert';
}

/** What a pair/session rule reports. Frames are frame numbers of the capture. */
export interface FindingInput {
  frames: readonly number[];
  /** Binding id (as in `gretool sessions`), when known. */
  session?: number | null;
  message: string;
  /** Overrides the rule's default severity for this finding (conditional severities). */
  severity?: Severity;
}

/** A reported finding that later occurrences can be added to (aggregation without allocation). */
export interface FindingRef {
  /** Adds one more occurrence in `frame` (and an optional second frame). */
  add(frame: number, frame2?: number): void;
}

export interface RuleContext {
  /** Reports a new finding. */
  report(f: FindingInput): FindingRef;
  /**
   * Adds `frame` to the finding this rule reported under `key`, or reports `make()` as a new
   * finding under that key: repeated data-plane problems of one session become one finding with
   * many frames (and `make` runs once).
   */
  keyed(key: string | number, frame: number, make: () => FindingInput): void;
  /** Name of the capture being linted (for messages). */
  readonly capture: string;
}

/**
 * The correlator hooks a rule may implement (a subset of SessionListener, same meaning and
 * order: src/sessions/types.ts). Objects passed are live views: do not keep or mutate them.
 */
export interface RuleHooks {
  onPbu?(o: PbuOutcome): void;
  onPair?(o: PairOutcome): void;
  onUnsolicitedPba?(pba: SignallingEvent, candidate: BindingView | null): void;
  onBinding?(c: BindingChange): void;
  /**
   * Data frames. Rules with `data: 'shape'` are pure in (binding state, direction, frame shape:
   * encapsulation, GRE, key): the linter skips them for an attributed frame whose shape equals
   * one already checked clean for the same binding, direction and binding state. Rules that
   * look at anything else per frame declare `data: 'every'`, or `data: 'sequenced'` when they
   * look only at frames with a GRE sequence number (`ev.hasSeq`): the others are not passed.
   */
  onData?(ev: DataEvent, r: DataResult): void;
  onUnansweredPbu?(pbu: SignallingEvent, binding: BindingView): void;
  onFinish?(): void;
}

export interface SessionRule extends RuleMeta {
  detection: 'correlator';
  /** How the data hook may be skipped (see RuleHooks.onData). Default 'shape'. */
  data?: 'shape' | 'every' | 'sequenced';
  /** Creates the rule's per-capture state and hooks. */
  create(ctx: RuleContext): RuleHooks;
}

export type Rule = ExpertRule | SessionRule;

export function defineExpertRule(meta: Omit<ExpertRule, 'detection'>): ExpertRule {
  return { ...meta, detection: 'expert' };
}

export function defineSessionRule(def: Omit<SessionRule, 'detection'>): SessionRule {
  return { ...def, detection: 'correlator' };
}

/** "RFC 5845 §6.1 (N34)". */
export function refText(r: SpecRef): string {
  return `RFC ${r.rfc}${r.section ? ` §${r.section}` : ''}${r.note ? ` (${r.note})` : ''}`;
}

/** All references of a rule, "; "-separated: the `spec` of a finding. */
export function specText(rule: RuleMeta): string {
  return rule.refs.map(refText).join('; ');
}

/** A link to the first reference (rfc-editor.org HTML, with the section anchor). */
export function specUri(rule: RuleMeta): string | undefined {
  const r = rule.refs[0];
  if (!r) return undefined;
  return `https://www.rfc-editor.org/rfc/rfc${r.rfc}${r.section ? `#section-${r.section}` : ''}`;
}

/** Expert severities (Wireshark's) to lint severities. */
export function severityOfExpert(s: 'chat' | 'note' | 'warning' | 'error'): Severity {
  return s === 'error' ? 'error' : s === 'warning' ? 'warning' : 'info';
}
