import { defineSessionRule } from '../rule.js';
import { keyText } from '../predicates.js';
import { DIR_DOWN } from '../../sessions/types.js';

export default defineSessionRule({
  id: 'S-LMA-MISSING-DL-KEY',
  severity: 'error',
  scope: 'session + data',
  refs: [{ rfc: 5845, section: '5.2', note: 'N29' }],
  summary: 'Downlink GRE packet of a session with GRE keys has no key (K = 0)',
  explanation:
    'The LMA MUST use the negotiated downlink key in the GRE header of every packet to the mobile node. Without a key the MAG cannot find the session (with overlapping private addresses it cannot tell mobile nodes apart).',
  fix: 'LMA: set K and put the downlink key from the PBU in every downlink GRE header of the session.',
  create(ctx) {
    return {
      onData(ev, r) {
        const b = r.binding;
        if (b === null || r.direction !== DIR_DOWN || !ev.gre || ev.hasKey || b.greMode !== 'keys' || b.downlinkKey === null) return;
        ctx.keyed(b.id, ev.frame, () => ({ frames: [ev.frame], session: b.id, message: `downlink GRE packet without a key (K = 0); the session's downlink key is ${keyText(b.downlinkKey)}` }));
      },
    };
  },
});
