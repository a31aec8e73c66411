import { defineSessionRule } from '../rule.js';
import { hasGreOpt, pairFrames, S_NOT_REQUIRED } from '../predicates.js';

export default defineSessionRule({
  id: 'S-PBA-S2-BUT-PBU-NO-GREKEY',
  severity: 'error',
  scope: 'pair',
  refs: [{ rfc: 5845, section: '6.4' }],
  summary: 'PBA status 2 (GRE_KEY_OPTION_NOT_REQUIRED) answers a PBU without the GRE Key option',
  explanation: 'Status 2 is defined as the answer to a PBU with the GRE Key option when GRE is not needed. Without the option in the PBU there was nothing to decline; the LMA should have answered with status 0.',
  fix: 'LMA: use status 2 only when the PBU carried the GRE Key option.',
  create(ctx) {
    return {
      onPair(o) {
        if (o.pba.status === S_NOT_REQUIRED && !hasGreOpt(o.pbu)) {
          ctx.report({ frames: pairFrames(o), session: o.binding.id, message: `PBA status 2 (GRE_KEY_OPTION_NOT_REQUIRED) answers a PBU (frame ${o.pbu.frame}) that had no GRE Key option` });
        }
      },
    };
  },
});
