import { defineSessionRule } from '../rule.js';
import { accepted, grantFrame, keyText } from '../predicates.js';

export default defineSessionRule({
  id: 'S-LMA-UL-KEY-CHANGED',
  severity: 'warning',
  scope: 'session',
  refs: [{ rfc: 5845, section: '3.3.2', note: 'N5, N6, N8, N10' }],
  summary: 'A lifetime extension or handoff PBA hands out a different uplink key',
  explanation:
    'The LMA MUST keep the uplink key for the lifetime of the mobility session and return the same key on re-registration and after a handoff. It MAY change it for administrative reasons (e.g. a reboot), at the cost of lost packets, hence a warning: uplink packets in flight with the old key are misrouted or dropped.',
  fix: 'LMA: return the uplink key of the last successful exchange for the same mobility session.',
  create(ctx) {
    return {
      onPair(o) {
        if (!accepted(o.pba.status) || (o.kind !== 'lifetime-extension' && o.kind !== 'handoff')) return;
        const prev = o.previous;
        if (prev === null || prev.greMode !== 'keys' || prev.uplinkKey === null || o.pba.greKey === null) return;
        if (o.pba.greKey === prev.uplinkKey) return;
        const g = grantFrame(o.binding);
        ctx.report({
          frames: g !== null ? [g, o.pba.frame] : [o.pba.frame],
          session: o.binding.id,
          message: `${o.kind} PBA gives uplink key ${keyText(o.pba.greKey)}; the session's uplink key is ${keyText(prev.uplinkKey)}${g !== null ? ` (granted in frame ${g})` : ''}`,
        });
      },
    };
  },
});
