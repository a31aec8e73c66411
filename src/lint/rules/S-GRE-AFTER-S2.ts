import { defineSessionRule } from '../rule.js';
import { accepted, S_NOT_REQUIRED } from '../predicates.js';
import { DIR_UP } from '../../sessions/types.js';

export default defineSessionRule({
  id: 'S-GRE-AFTER-S2',
  severity: 'warning',
  scope: 'session + data',
  refs: [{ rfc: 5845, section: '4.2', note: 'N22/N23' }],
  summary: 'GRE data for a session whose GRE was declined with status 2 (GRE_KEY_OPTION_NOT_REQUIRED)',
  explanation:
    'After a successful PBA with status 2 GRE is not used for the mobility session: the MAG must consider GRE not required, follows plain RFC 5213 tunnelling and never offers the GRE Key option again for the session, so the session stays without GRE. GRE packets for it will not be expected by the peer. (The decision holds for the rest of the session, also across later re-registrations without the option.)',
  fix: 'Tunnel the session\'s traffic without GRE after a status-2 PBA.',
  create(ctx) {
    /** bindings that got a successful status-2 PBA */
    const s2 = new Set<number>();
    return {
      onPair(o) {
        if (accepted(o.pba.status) && o.pba.status === S_NOT_REQUIRED && o.kind !== 'deregistration') s2.add(o.binding.id);
      },
      onData(ev, r) {
        if (!ev.gre) return;
        const b = r.binding ?? (r.candidate !== null && r.candidate.state === 'active' ? r.candidate : null);
        if (b === null || b.greMode !== 'none' || !s2.has(b.id)) return;
        const dir = r.direction === DIR_UP ? 'uplink' : 'downlink';
        ctx.keyed(`${b.id}:${dir}`, ev.frame, () => ({ frames: [ev.frame], session: b.id, message: `${dir} GRE packet for a session whose GRE was declined with status 2 (GRE_KEY_OPTION_NOT_REQUIRED)` }));
      },
    };
  },
});
