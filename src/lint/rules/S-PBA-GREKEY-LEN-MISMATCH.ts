import { defineSessionRule } from '../rule.js';
import { accepted, pairFrames, S_NOT_REQUIRED } from '../predicates.js';

/** PBU asked for keys (Length 6) and got GRE only (Length 2), or the reverse. */
export default defineSessionRule({
  id: 'S-PBA-GREKEY-LEN-MISMATCH',
  severity: 'error',
  scope: 'pair',
  refs: [{ rfc: 5845, section: '5.2', note: 'N27/N28' }, { rfc: 5845, section: '3.3.1', note: 'N4' }],
  summary: 'Successful PBA answers a keyed GRE Key option with a keyless one, or the reverse',
  explanation:
    'The LMA must mirror the form of the request: a PBU with a downlink key (Length 6) gets a successful PBA with the uplink key (Length 6); a PBU asking for GRE only (Length 2) gets a PBA with Length 2. Here the lengths differ, so one side expects keys the other will not use.',
  fix: 'LMA: answer Length 6 with the uplink key in a Length-6 option, and Length 2 with a Length-2 option.',
  create(ctx) {
    return {
      onPair(o) {
        const { pbu, pba } = o;
        if (!accepted(pba.status) || pba.status === S_NOT_REQUIRED) return;
        const a = pbu.greKeyLen;
        const b = pba.greKeyLen;
        if ((a === 6 && b === 2) || (a === 2 && b === 6)) {
          ctx.report({
            frames: pairFrames(o),
            session: o.binding.id,
            message: `PBU frame ${pbu.frame} has a GRE Key option of Length ${a} (${a === 6 ? 'downlink key' : 'GRE only'}) but the successful PBA (status ${pba.status}) has Length ${b}`,
          });
        }
      },
    };
  },
});
