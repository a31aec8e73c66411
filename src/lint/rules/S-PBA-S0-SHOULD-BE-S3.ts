import { defineSessionRule } from '../rule.js';
import { accepted, hasGreOpt, pairFrames, S_NO_TLV, S_NOT_REQUIRED } from '../predicates.js';

export default defineSessionRule({
  id: 'S-PBA-S0-SHOULD-BE-S3',
  severity: 'warning',
  scope: 'pair',
  refs: [{ rfc: 5845, section: '7.2', note: 'N38' }, { rfc: 5845, section: '7.4', note: 'N50, N54' }],
  summary: 'PBU asked for GRE with TLV; the PBA accepted GRE without T and without status 3',
  explanation:
    'A PBU with the GRE Key option and T set was accepted with the GRE Key option but T = 0 and a status other than 3. Either the LMA supports the TLV format and should have set T, or it does not and had to answer with status 3 (GRE_TUNNELING_BUT_TLV_HEADER_NOT_SUPPORTED). As sent, the MAG cannot tell which tunnelling format to use. (Status 2, which declines GRE altogether, and de-registrations are not concerned.)',
  fix: 'LMA: set T in the PBA when TLV is supported, otherwise answer with status 3.',
  create(ctx) {
    return {
      onPair(o) {
        const { pbu, pba } = o;
        if (o.kind === 'deregistration' || !accepted(pba.status) || pba.status === S_NO_TLV || pba.status === S_NOT_REQUIRED) return;
        if (hasGreOpt(pbu) && pbu.tFlag && hasGreOpt(pba) && !pba.tFlag) {
          ctx.report({ frames: pairFrames(o), session: o.binding.id, message: `PBU (frame ${pbu.frame}) requested GRE and TLV; the PBA (frame ${pba.frame}) accepted GRE with status ${pba.status} and T = 0 instead of setting T or answering status 3` });
        }
      },
    };
  },
});
