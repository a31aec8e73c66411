import { defineSessionRule } from '../rule.js';
import { pairFrames } from '../predicates.js';

export default defineSessionRule({
  id: 'S-LMA-T-WITHOUT-PBU-T',
  severity: 'error',
  scope: 'pair',
  refs: [{ rfc: 5845, section: '7.2', note: 'N41' }, { rfc: 5845, section: '7.4', note: 'N51' }],
  summary: 'PBA sets the T flag although its PBU did not',
  explanation: 'The LMA MUST NOT set the TLV-header format flag unless it was set in the PBU: the MAG did not ask for TLV framing and will not use it, or worse, switches format unexpectedly.',
  fix: 'LMA: copy T into the PBA only when the PBU had it set (and the LMA supports TLV).',
  create(ctx) {
    return {
      onPair(o) {
        if (o.pba.tFlag && !o.pbu.tFlag) {
          ctx.report({ frames: pairFrames(o), session: o.binding.id, message: `PBA (frame ${o.pba.frame}, status ${o.pba.status}) sets T but the PBU (frame ${o.pbu.frame}) had T = 0` });
        }
      },
    };
  },
});
