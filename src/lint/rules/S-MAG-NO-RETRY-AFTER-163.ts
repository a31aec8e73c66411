import { defineSessionRule } from '../rule.js';
import { hasGreOpt, S_REQUIRED } from '../predicates.js';

export default defineSessionRule({
  id: 'S-MAG-NO-RETRY-AFTER-163',
  severity: 'warning',
  scope: 'session',
  refs: [{ rfc: 5845, section: '4.2', note: 'N20 (N21 MAY log)' }],
  summary: 'After a PBA with status 163 the MAG does not resend the PBU with the GRE Key option',
  explanation:
    'Status 163 (GRE_KEY_OPTION_REQUIRED) means the LMA requires GRE keys. The MAG SHOULD resend the PBU with the GRE Key option; here the next PBU for the same mobile node still lacks it, or no PBU follows in the capture (a MAG without RFC 5845 support MAY only log the event).',
  fix: 'MAG: on status 163, resend the PBU with the GRE Key option (and a downlink key), or raise an alarm if GRE keys are not supported.',
  create(ctx) {
    /** binding id → frame of the 163 PBA not yet followed by a PBU */
    const pending = new Map<number, number>();
    return {
      onPair(o) {
        if (o.pba.status === S_REQUIRED) pending.set(o.binding.id, o.pba.frame);
      },
      onPbu(o) {
        if (o.retransmissionOf !== null) return;
        const f = pending.get(o.binding.id);
        if (f === undefined) return;
        pending.delete(o.binding.id);
        if (o.kind === 'deregistration' || hasGreOpt(o.pbu)) return;
        ctx.report({ frames: [f, o.pbu.frame], session: o.binding.id, message: `after PBA 163 (frame ${f}) the next PBU (seq ${o.pbu.seq}) still has no GRE Key option` });
      },
      onFinish() {
        for (const [id, f] of pending) ctx.report({ frames: [f], session: id, message: `no PBU follows the PBA with status 163 (GRE_KEY_OPTION_REQUIRED) in frame ${f}` });
      },
    };
  },
});
