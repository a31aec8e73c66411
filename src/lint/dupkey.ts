/**
 * Shared by S-DUP-DL-KEY and S-DUP-UL-KEY: an index of live bindings by (scope, key), where the
 * scope is the MAG (downlink keys) or the MAG and LMA (uplink keys), reporting each pair of live
 * bindings that share one. Scopes get small ids (by the bindings' own address strings), and
 * (scope id, key) is a numeric hash lookup: nothing is built per binding change.
 */
import { MultiIndex } from '../sessions/intmap.js';
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

export function duplicateKeyHooks(ctx: RuleContext, spec: DupKeySpec): RuleHooks {
  // scope (s1, s2) → small id; (scope id, key | 0) → the ids of the live bindings sharing that
  // key (one inline, several in a set: nothing allocated for the usual lone key); per binding
  // id: the binding, the scope id (-1 = none) and the key it is listed under.
  const scopes = new Map<string, Map<string, number>>();
  let nScopes = 0;
  const index = new MultiIndex();
  const byId: BindingView[] = [];
  let entrySid = new Int32Array(256).fill(-1);
  let entryKey = new Int32Array(256);
  /** Per binding id: the scope strings its entry was made with (a renewal mostly keeps them). */
  const entryScope1: string[] = [];
  const entryScope2: string[] = [];
  const reported = new Set<number>();
  const frameOf = (b: BindingView): number | null => {
    const g = lastGrant(b);
    if (!g) return null;
    return spec.carrier === 'pbu' ? (g.pbuFrame ?? null) : g.frame;
  };
  const scopeId = (s1: string, s2: string): number => {
    let m = scopes.get(s1);
    if (m === undefined) scopes.set(s1, (m = new Map()));
    let id = m.get(s2);
    if (id === undefined) m.set(s2, (id = nScopes++));
    return id;
  };
  return {
    onBinding(c: BindingChange) {
      const b = c.binding;
      let k: number | null;
      if (c.type === 'registered' || c.type === 'extended' || c.type === 'handoff') k = spec.key(b);
      else if (c.type === 'deregistered' || c.type === 'expired') k = null;
      else return;
      const id = b.id;
      if (id >= entrySid.length) {
        const n = Math.max(id + 1, entrySid.length * 2);
        const s = new Int32Array(n).fill(-1);
        s.set(entrySid);
        entrySid = s;
        const kk = new Int32Array(n);
        kk.set(entryKey);
        entryKey = kk;
      }
      const oldSid = entrySid[id]!;
      let sid = -1;
      if (k !== null) {
        const s1 = spec.scope1(b);
        const s2 = spec.scope2(b);
        // the same key in the same scope (a renewal): nothing to do
        if (oldSid >= 0 && entryKey[id] === (k | 0) && entryScope1[id] === s1 && entryScope2[id] === s2) return;
        sid = scopeId(s1, s2);
        entryScope1[id] = s1;
        entryScope2[id] = s2;
      }
      if (oldSid >= 0 && k !== null && entryKey[id] === (k | 0) && oldSid === sid) return;
      if (oldSid >= 0) {
        index.remove(oldSid, entryKey[id]!, id);
        entrySid[id] = -1;
      }
      if (k === null) return;
      entrySid[id] = sid;
      entryKey[id] = k | 0;
      byId[id] = b;
      // the first binding with this key in this scope (the usual case): nothing to compare
      if (index.add(sid, k | 0, id) !== -1) {
        for (const oid of index.all(sid, k | 0)) {
          if (oid === id) continue;
          const other = byId[oid]!;
          const pk = Math.min(oid, id) * 0x4000000 + Math.max(oid, id);
          if (reported.has(pk)) continue;
          reported.add(pk);
          const frames = [frameOf(other), frameOf(b)].filter((x): x is number => x !== null);
          ctx.report({ frames, session: id, message: spec.message(b, other) });
        }
      }
    },
  };
}
