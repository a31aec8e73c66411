import { defineSessionRule } from '../rule.js';
import { accepted, hasGreOpt, pairFrames } from '../predicates.js';

export default defineSessionRule({
  id: 'S-PBA-GREKEY-WITHOUT-PBU-GREKEY',
  severity: 'warning',
  severityNote: 'error when the PBU is handoff-triggered for a session using GRE keys',
  variableSeverity: true,
  scope: 'pair + session',
  refs: [{ rfc: 5845, section: '3.3.2', note: 'N12' }],
  summary: 'Successful PBA carries a GRE Key option although its PBU did not',
  explanation:
    'The LMA handed out GRE parameters nobody asked for. After a handoff-triggered PBU without the option for a binding that used GRE keys, the LMA either rejects with 163 or MUST answer without the GRE Key option (error); otherwise the option is unsolicited (warning) and the MAG, which did not request GRE, will not use it.',
  fix: 'LMA: include the GRE Key option in a successful PBA only when the PBU had one.',
  create(ctx) {
    return {
      onPair(o) {
        if (!accepted(o.pba.status) || !hasGreOpt(o.pba) || hasGreOpt(o.pbu)) return;
        const handoffKeyed = o.kind === 'handoff' && o.previous?.greMode === 'keys';
        ctx.report({
          frames: pairFrames(o),
          session: o.binding.id,
          severity: handoffKeyed ? 'error' : 'warning',
          message: handoffKeyed
            ? `handoff PBU (frame ${o.pbu.frame}) for a keyed session had no GRE Key option, yet the successful PBA carries one (RFC 5845 §3.3.2: it MUST NOT)`
            : `successful PBA (frame ${o.pba.frame}) carries a GRE Key option the PBU (frame ${o.pbu.frame}) did not ask for`,
        });
      },
    };
  },
});
