import { defineSessionRule } from '../rule.js';
import { accepted, hasGreOpt, lmaLacksSupport } from '../predicates.js';

export default defineSessionRule({
  id: 'S-MAG-GREKEY-AFTER-NO-SUPPORT',
  severity: 'warning',
  scope: 'per LMA',
  refs: [{ rfc: 5845, section: '4.2', note: 'N19' }],
  summary: 'The MAG keeps sending the GRE Key option to an LMA that showed it does not support RFC 5845',
  explanation:
    'Once an LMA accepted a PBU with the GRE Key option without returning it (S-MAG-LMA-NO-SUPPORT), the MAG SHOULD NOT include the option in any later PBU to that LMA.',
  fix: 'MAG: remember LMAs without RFC 5845 support and leave the GRE Key option out of PBUs sent to them.',
  create(ctx) {
    /** "MAG\nLMA" → frame of the PBA that showed the missing support */
    const noSupport = new Map<string, number>();
    return {
      onPbu(o) {
        if (noSupport.size === 0 || o.retransmissionOf !== null || !hasGreOpt(o.pbu)) return;
        const f = noSupport.get(o.pbu.src + '\n' + o.pbu.dst);
        if (f === undefined) return;
        ctx.report({ frames: [f, o.pbu.frame], session: o.binding.id, message: `PBU from MAG ${o.pbu.src} carries a GRE Key option although LMA ${o.pbu.dst} answered without it in frame ${f}` });
      },
      onPair(o) {
        if (lmaLacksSupport(o)) {
          const k = o.pbu.src + '\n' + o.pbu.dst;
          if (!noSupport.has(k)) noSupport.set(k, o.pba.frame);
        } else if (noSupport.size !== 0 && accepted(o.pba.status) && hasGreOpt(o.pba)) noSupport.delete(o.pbu.src + '\n' + o.pbu.dst); // the LMA does support it after all
      },
    };
  },
});
