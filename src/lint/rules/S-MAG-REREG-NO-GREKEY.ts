import { defineSessionRule } from '../rule.js';
import { hasKey, keyText } from '../predicates.js';

export default defineSessionRule({
  id: 'S-MAG-REREG-NO-GREKEY',
  severity: 'error',
  scope: 'session',
  refs: [{ rfc: 5845, section: '3.3.2', note: 'N7' }],
  summary: 'Lifetime-extension PBU of a session with GRE keys lacks the GRE Key option with the downlink key',
  explanation:
    'Once GRE keys are exchanged, the MAG MUST include the GRE Key option with the downlink key in every PBU that extends the binding lifetime. Without it the LMA may drop GRE for the session or reject the PBU.',
  fix: 'MAG: repeat the GRE Key option with the session\'s downlink key in re-registration PBUs.',
  create(ctx) {
    return {
      onPbu(o) {
        if (o.retransmissionOf !== null || o.kind !== 'lifetime-extension') return;
        const prev = o.previous;
        if (prev === null || prev.greMode !== 'keys' || hasKey(o.pbu)) return;
        ctx.report({
          frames: [o.pbu.frame],
          session: o.binding.id,
          message: `lifetime-extension PBU (seq ${o.pbu.seq}) ${o.pbu.greKeyLen >= 0 ? `has a GRE Key option of Length ${o.pbu.greKeyLen} without a key` : 'has no GRE Key option'}; the session uses downlink key ${keyText(prev.downlinkKey)}`,
        });
      },
    };
  },
});
