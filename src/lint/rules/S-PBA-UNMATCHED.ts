import { defineSessionRule } from '../rule.js';

export default defineSessionRule({
  id: 'S-PBA-UNMATCHED',
  severity: 'info',
  scope: 'pair',
  refs: [{ rfc: 6275, section: '6.1.8', note: 'Sequence # copied from the BU' }, { rfc: 5844, section: '4.1.3.2' }],
  summary: 'A PBA with no matching PBU, or a PBU with no PBA',
  explanation:
    'A PBA pairs with the PBU that has the same Sequence #, the same MN identifier and the reversed address pair (over UDP, also PBA destination port = PBU source port). An unmatched PBA has a wrong sequence number or addresses; an unanswered PBU was lost, ignored, or the capture ended first. Either way the pair and session rules could not check that exchange. (ESP-protected signalling cannot be read at all and is not reported.)',
  fix: 'Check the PBA\'s Sequence # and addresses against its PBU; capture long enough to include the answer.',
  create(ctx) {
    return {
      onUnsolicitedPba(pba, cand) {
        ctx.report({
          frames: [pba.frame],
          session: cand?.id ?? null,
          message: `PBA (seq ${pba.seq}, status ${pba.status}) from ${pba.src} to ${pba.dst}${pba.mnId !== null ? ` for ${pba.mnId}` : ''} matches no pending PBU`,
        });
      },
      onUnansweredPbu(pbu, b) {
        ctx.report({
          frames: [pbu.frame],
          session: b.id,
          message: `PBU (seq ${pbu.seq}) from ${pbu.src} to ${pbu.dst}${pbu.mnId !== null ? ` for ${pbu.mnId}` : ''} has no PBA in the capture`,
        });
      },
    };
  },
});
