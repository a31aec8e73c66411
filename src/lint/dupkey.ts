/**
 * Shared by S-DUP-DL-KEY and S-DUP-UL-KEY: an index of live bindings by (scope, key), where the
 * scope is the MAG (downlink keys) or the MAG and LMA (uplink keys), reporting each pair of live
 * bindings that share one. Nested maps keyed by the bindings' own address strings and the key
 * number: nothing is built per binding change.
 */
import type { BindingChange, BindingView } from '../sessions/types.js';
import { lastGrant } from './predicates.js';
import type { RuleContext, RuleHooks } from './rule.js';

export interface DupKeySpec {
  /** The binding's key of this kind, or null when it has none (no GRE keys). */
  key: (b: BindingView) => number | null;
  /** First and second level of the scope (e.g. MAG, and LMA or '' ). */
  scope1: (b: BindingView) => string;
  scope2: (b: BindingView) => string;
  message: (b: BindingView, other: BindingView) => string;
  /** Which frame of a binding's last successful exchange carries the key: its PBU or its PBA. */
  carrier: 'pbu' | 'pba';
}

interface Entry {
  s1: string;
  s2: string;
  k: number;
}

export function duplicateKeyHooks(ctx: RuleContext, spec: DupKeySpec): RuleHooks {
  const live = new Map<string, Map<string, Map<number, BindingView[]>>>();
  const entry = new Map<number, Entry>();
  const reported = new Set<number>();
  const frameOf = (b: BindingView): number | null => {
    const g = lastGrant(b);
    if (!g) return null;
    return spec.carrier === 'pbu' ? (g.pbuFrame ?? null) : g.frame;
  };
  const listOf = (e: Entry, create: boolean): BindingView[] | undefined => {
    let m1 = live.get(e.s1);
    if (!m1) {
      if (!create) return undefined;
      live.set(e.s1, (m1 = new Map()));
    }
    let m2 = m1.get(e.s2);
    if (!m2) {
      if (!create) return undefined;
      m1.set(e.s2, (m2 = new Map()));
    }
    let arr = m2.get(e.k);
    if (!arr && create) m2.set(e.k, (arr = []));
    return arr;
  };
  return {
    onBinding(c: BindingChange) {
      const b = c.binding;
      let k: number | null;
      if (c.type === 'registered' || c.type === 'extended' || c.type === 'handoff') k = spec.key(b);
      else if (c.type === 'deregistered' || c.type === 'expired') k = null;
      else return;
      const old = entry.get(b.id);
      const s1 = k === null ? '' : spec.scope1(b);
      const s2 = k === null ? '' : spec.scope2(b);
      if (old !== undefined && k !== null && old.k === k && old.s1 === s1 && old.s2 === s2) return;
      if (old !== undefined) {
        const arr = listOf(old, false);
        if (arr) {
          const i = arr.indexOf(b);
          if (i >= 0) arr.splice(i, 1);
        }
        entry.delete(b.id);
      }
      if (k === null) return;
      const e: Entry = { s1, s2, k };
      entry.set(b.id, e);
      const arr = listOf(e, true)!;
      for (const other of arr) {
        const pk = Math.min(other.id, b.id) * 0x4000000 + Math.max(other.id, b.id);
        if (reported.has(pk)) continue;
        reported.add(pk);
        const frames = [frameOf(other), frameOf(b)].filter((x): x is number => x !== null);
        ctx.report({ frames, session: b.id, message: spec.message(b, other) });
      }
      arr.push(b);
    },
  };
}
