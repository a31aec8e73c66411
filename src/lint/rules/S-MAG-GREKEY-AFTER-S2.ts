import { defineSessionRule } from '../rule.js';
import { accepted, hasGreOpt, S_NOT_REQUIRED } from '../predicates.js';

export default defineSessionRule({
  id: 'S-MAG-GREKEY-AFTER-S2',
  severity: 'error',
  scope: 'session',
  refs: [{ rfc: 5845, section: '4.2', note: 'N22, N23' }],
  summary: 'After a successful status-2 PBA, a later PBU of the same session carries the GRE Key option',
  explanation:
    'Status 2 (GRE_KEY_OPTION_NOT_REQUIRED) tells the MAG that GRE is not needed for this mobility session; the MAG MUST NOT include the GRE Key option in any subsequent PBU for it.',
  fix: 'MAG: after status 2, leave the GRE Key option out of every later PBU of that session.',
  create(ctx) {
    /** binding id → frame of its status-2 PBA */
    const s2 = new Map<number, number>();
    return {
      onPair(o) {
        if (accepted(o.pba.status) && o.pba.status === S_NOT_REQUIRED && o.kind !== 'deregistration' && !s2.has(o.binding.id)) s2.set(o.binding.id, o.pba.frame);
      },
      onPbu(o) {
        if (o.retransmissionOf !== null) return;
        const f = s2.get(o.binding.id);
        if (f === undefined || !hasGreOpt(o.pbu)) return;
        ctx.report({ frames: [f, o.pbu.frame], session: o.binding.id, message: `${o.kind} PBU (seq ${o.pbu.seq}) carries a GRE Key option after the status-2 PBA in frame ${f}` });
      },
    };
  },
});
