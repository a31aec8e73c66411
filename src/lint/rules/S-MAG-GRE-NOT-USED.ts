import { defineSessionRule } from '../rule.js';
import { DIR_UP, ENCAP_NAMES } from '../../sessions/types.js';

export default defineSessionRule({
  id: 'S-MAG-GRE-NOT-USED',
  severity: 'warning',
  scope: 'session + data',
  refs: [{ rfc: 5845, section: '7.3.1' }, { rfc: 5845, section: '4.2', note: 'N17' }],
  summary: 'Uplink packet of a session that negotiated GRE is not GRE-encapsulated',
  explanation:
    'Once GRE encapsulation (with or without keys) is negotiated, the MAG tunnels the session\'s uplink traffic with the GRE header present. Plain IP-in-IP (or TLV without GRE) bypasses the negotiated key, so an LMA demultiplexing by key cannot find the session.',
  fix: 'MAG: encapsulate the session\'s uplink packets in GRE (with the uplink key when keys were exchanged).',
  create(ctx) {
    return {
      onData(ev, r) {
        const b = r.binding;
        if (b === null || r.direction !== DIR_UP || ev.gre || b.greMode === 'none') return;
        ctx.keyed(b.id * 8 + ev.encap, ev.frame, () => ({ frames: [ev.frame], session: b.id, message: `uplink packet sent as ${ENCAP_NAMES[ev.encap] ?? 'unknown'} without GRE; the session negotiated GRE (${b.greMode})` }));
      },
    };
  },
});
