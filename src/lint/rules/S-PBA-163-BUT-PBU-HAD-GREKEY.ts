import { defineSessionRule } from '../rule.js';
import { hasGreOpt, pairFrames, S_REQUIRED } from '../predicates.js';

export default defineSessionRule({
  id: 'S-PBA-163-BUT-PBU-HAD-GREKEY',
  severity: 'error',
  scope: 'pair',
  refs: [{ rfc: 5845, section: '6.4', note: 'N11/N30' }],
  summary: 'PBA status 163 (GRE_KEY_OPTION_REQUIRED) answers a PBU that did contain the GRE Key option',
  explanation:
    'Status 163 rejects a PBU for lacking the GRE Key option. Sent in answer to a PBU that carried the option, it is wrong and the MAG cannot recover by retrying with the option.',
  fix: 'LMA: send 163 only when the PBU had no GRE Key option; reject a PBU with an unacceptable key with another status.',
  create(ctx) {
    return {
      onPair(o) {
        if (o.pba.status === S_REQUIRED && hasGreOpt(o.pbu)) {
          ctx.report({ frames: pairFrames(o), session: o.binding.id, message: `PBA status 163 (GRE_KEY_OPTION_REQUIRED) although the PBU (frame ${o.pbu.frame}) carried a GRE Key option of Length ${o.pbu.greKeyLen}` });
        }
      },
    };
  },
});
