import { defineSessionRule } from '../rule.js';
import { lmaLacksSupport, pairFrames } from '../predicates.js';

export default defineSessionRule({
  id: 'S-MAG-LMA-NO-SUPPORT',
  severity: 'info',
  scope: 'pair',
  refs: [{ rfc: 5845, section: '4.2', note: 'N18' }],
  summary: 'The LMA accepted a PBU with the GRE Key option without returning the option (LMA without RFC 5845)',
  explanation:
    'A successful PBA (status < 128, not 2) without the GRE Key option answering a PBU that had one means the LMA ignored the option, as an LMA that does not implement RFC 5845 legally does (unknown options are skipped). This is not an LMA error; from now on the MAG must treat this LMA as not supporting GRE keys and tunnel without GRE.',
  fix: 'Enable RFC 5845 on the LMA if GRE keys are wanted; otherwise the MAG must stop sending the GRE Key option to it (see S-MAG-GREKEY-AFTER-NO-SUPPORT).',
  create(ctx) {
    return {
      onPair(o) {
        if (lmaLacksSupport(o)) {
          ctx.report({
            frames: pairFrames(o),
            session: o.binding.id,
            message: `LMA ${o.pba.src} accepted (status ${o.pba.status}) the PBU with a GRE Key option but returned none: it does not support RFC 5845`,
          });
        }
      },
    };
  },
});
