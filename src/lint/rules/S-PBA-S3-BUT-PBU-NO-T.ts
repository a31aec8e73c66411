import { defineSessionRule } from '../rule.js';
import { hasGreOpt, pairFrames, S_NO_TLV } from '../predicates.js';

export default defineSessionRule({
  id: 'S-PBA-S3-BUT-PBU-NO-T',
  severity: 'error',
  scope: 'pair',
  refs: [{ rfc: 5845, section: '6.4' }],
  summary: 'PBA status 3 answers a PBU without the GRE Key option or without the T flag',
  explanation: 'Status 3 (GRE_TUNNELING_BUT_TLV_HEADER_NOT_SUPPORTED) answers a PBU that asked for GRE (GRE Key option) and for the TLV format (T). A PBU lacking either did not ask for what status 3 refuses.',
  fix: 'LMA: send status 3 only to a PBU with both the GRE Key option and T set; otherwise status 0.',
  create(ctx) {
    return {
      onPair(o) {
        if (o.pba.status !== S_NO_TLV) return;
        const opt = hasGreOpt(o.pbu);
        if (opt && o.pbu.tFlag) return;
        const missing = !opt && !o.pbu.tFlag ? 'neither the GRE Key option nor T' : !opt ? 'no GRE Key option' : 'T cleared';
        ctx.report({ frames: pairFrames(o), session: o.binding.id, message: `PBA status 3 answers a PBU (frame ${o.pbu.frame}) with ${missing}` });
      },
    };
  },
});
