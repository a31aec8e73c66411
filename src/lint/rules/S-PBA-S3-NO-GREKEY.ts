import { defineSessionRule } from '../rule.js';
import { hasGreOpt, pairFrames, S_NO_TLV } from '../predicates.js';

export default defineSessionRule({
  id: 'S-PBA-S3-NO-GREKEY',
  severity: 'error',
  scope: 'pair',
  refs: [{ rfc: 5845, section: '5.2', note: 'N28' }, { rfc: 5845, section: '7.4', note: 'N54' }],
  summary: 'PBA status 3 answers a PBU with GRE Key option and T, but carries no GRE Key option',
  explanation:
    'Status 3 (GRE_TUNNELING_BUT_TLV_HEADER_NOT_SUPPORTED) proves the LMA implements RFC 5845 and accepted GRE: the uplink key was owed in the GRE Key option. Without it the MAG cannot mark its uplink traffic.',
  fix: 'LMA: include the GRE Key option (with the uplink key when the PBU carried a downlink key) in the status-3 PBA.',
  create(ctx) {
    return {
      onPair(o) {
        if (o.pba.status === S_NO_TLV && hasGreOpt(o.pbu) && o.pbu.tFlag && !hasGreOpt(o.pba)) {
          ctx.report({ frames: pairFrames(o), session: o.binding.id, message: `status-3 PBA (frame ${o.pba.frame}) has no GRE Key option although the PBU (frame ${o.pbu.frame}) had one and set T` });
        }
      },
    };
  },
});
