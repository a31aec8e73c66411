import { defineSessionRule } from '../rule.js';
import { DIR_DOWN, ENCAP_NAMES } from '../../sessions/types.js';

export default defineSessionRule({
  id: 'S-LMA-GRE-NOT-USED',
  severity: 'warning',
  scope: 'session + data',
  refs: [{ rfc: 5845, section: '7.4.1' }],
  summary: 'Downlink packet of a session that negotiated GRE is not GRE-encapsulated',
  explanation:
    'Once GRE encapsulation is negotiated the LMA tunnels the session\'s downlink traffic with the GRE header (and the downlink key). Without it a MAG demultiplexing by key cannot find the session.',
  fix: 'LMA: encapsulate the session\'s downlink packets in GRE (with the downlink key when keys were exchanged).',
  create(ctx) {
    return {
      onData(ev, r) {
        const b = r.binding;
        if (b === null || r.direction !== DIR_DOWN || ev.gre || b.greMode === 'none') return;
        ctx.keyed(b.id * 8 + ev.encap, ev.frame, () => ({ frames: [ev.frame], session: b.id, message: `downlink packet sent as ${ENCAP_NAMES[ev.encap] ?? 'unknown'} without GRE; the session negotiated GRE (${b.greMode})` }));
      },
    };
  },
});
