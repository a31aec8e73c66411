import { defineSessionRule } from '../rule.js';
import { hasGreOpt } from '../predicates.js';

export default defineSessionRule({
  id: 'S-MAG-HANDOFF-NO-GREKEY',
  severity: 'info',
  scope: 'session',
  refs: [{ rfc: 5845, section: '3.3.2', note: 'N9, N11, N12' }],
  summary: 'Handoff PBU from a new MAG for a session with GRE keys has no GRE Key option',
  explanation:
    'After an inter-MAG handoff the new MAG MUST include the GRE Key option if its policy needs GRE keys. Leaving it out is legitimate when the new MAG does not need GRE; the LMA then answers 163 (GRE_KEY_OPTION_REQUIRED) or accepts without the option.',
  fix: 'New MAG: include the GRE Key option with a downlink key when GRE keys are needed for the session.',
  create(ctx) {
    return {
      onPbu(o) {
        if (o.retransmissionOf !== null || o.kind !== 'handoff') return;
        if (o.previous?.greMode !== 'keys' || hasGreOpt(o.pbu)) return;
        ctx.report({
          frames: [o.pbu.frame],
          session: o.binding.id,
          message: `handoff PBU from new MAG ${o.pbu.src} (previous MAG ${o.previous.mag}) has no GRE Key option for a session using GRE keys; expect PBA 163 or a PBA without the option`,
        });
      },
    };
  },
});
