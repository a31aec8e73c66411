import { defineSessionRule } from '../rule.js';
import { keyText, tunnelHash } from '../predicates.js';
import { addrText } from '../../sessions/addr.js';
import { R_NO_BINDING } from '../../sessions/types.js';

export default defineSessionRule({
  id: 'S-GRE-DATA-NO-NEGOTIATION',
  severity: 'info',
  scope: 'session + data',
  refs: [{ rfc: 5845, section: '3' }],
  summary: 'Keyed GRE data between a MAG/LMA pair with no GRE negotiation in the capture',
  explanation:
    'GRE keys are negotiated in PBU/PBA exchanges. Keyed GRE data between two endpoints that never exchanged a PBU/PBA in the capture cannot be checked against a binding: the capture may have started late, or the signalling was on another path or protected by ESP.',
  fix: 'Capture from before the registration (or include the signalling path) so the session rules can check the keys.',
  create(ctx) {
    return {
      onData(ev, r) {
        if (r.bindingId !== 0 || r.reason !== R_NO_BINDING || !ev.gre || !ev.hasKey) return;
        ctx.keyed(tunnelHash(ev.data, ev.outerSrc, ev.outerDst, ev.outerLen), ev.frame, () => ({
          frames: [ev.frame],
          session: null,
          message: `keyed GRE data (first key ${keyText(ev.key)}) between ${addrText(ev.data, ev.outerSrc, ev.outerLen)} and ${addrText(ev.data, ev.outerDst, ev.outerLen)} with no successful PBU/PBA exchange between them in the capture so far`,
        }));
      },
    };
  },
});
