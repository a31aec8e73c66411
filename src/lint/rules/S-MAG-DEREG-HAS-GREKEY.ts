import { defineSessionRule } from '../rule.js';
import { hasGreOpt } from '../predicates.js';

export default defineSessionRule({
  id: 'S-MAG-DEREG-HAS-GREKEY',
  severity: 'warning',
  scope: 'session',
  refs: [{ rfc: 5845, section: '4.2', note: 'N24' }],
  summary: 'De-registration PBU of a session with GRE keys carries the GRE Key option',
  explanation: 'A MAG that negotiated GRE keys SHOULD NOT include the GRE Key option in the de-registration PBU (Lifetime 0): the binding and its keys are being removed.',
  fix: 'MAG: omit the GRE Key option from de-registration PBUs.',
  create(ctx) {
    return {
      onPbu(o) {
        if (o.retransmissionOf !== null || o.kind !== 'deregistration') return;
        if (o.previous?.greMode !== 'keys' || !hasGreOpt(o.pbu)) return;
        ctx.report({ frames: [o.pbu.frame], session: o.binding.id, message: `de-registration PBU (seq ${o.pbu.seq}) of a session using GRE keys carries a GRE Key option` });
      },
    };
  },
});
