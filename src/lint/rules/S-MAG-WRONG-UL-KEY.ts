import { defineSessionRule } from '../rule.js';
import { keyText } from '../predicates.js';
import { DIR_UP, REASONS } from '../../sessions/types.js';

export default defineSessionRule({
  id: 'S-MAG-WRONG-UL-KEY',
  severity: 'error',
  scope: 'session + data',
  refs: [{ rfc: 5845, section: '4.2', note: 'N17, N16' }],
  summary: 'Uplink GRE packet of a session with GRE keys has no key or not the negotiated uplink key',
  explanation:
    'After a successful PBA with an uplink key, the MAG MUST use that key in the GRE header of all uplink traffic of the session. A missing key (K = 0) or another key (an old one, the downlink key, a random one) makes the LMA unable to find the session: the traffic is dropped or misattributed. The session is found from the inner source address (or the key\'s earlier owner).',
  fix: 'MAG: put the uplink key from the last successful PBA in every uplink GRE header of the session.',
  create(ctx) {
    return {
      onData(ev, r) {
        if (r.direction !== DIR_UP || !ev.gre) return;
        const b = r.binding;
        if (b !== null) {
          if (b.greMode !== 'keys' || b.uplinkKey === null || (ev.hasKey && ev.key === b.uplinkKey)) return;
          const k = ev.hasKey ? ev.key : -1;
          ctx.keyed(`${b.id}:${k}`, ev.frame, () => ({
            frames: [ev.frame],
            session: b.id,
            message: ev.hasKey ? `uplink GRE key ${keyText(ev.key)} is not the session's uplink key ${keyText(b.uplinkKey)}` : `uplink GRE packet without a key (K = 0); the session's uplink key is ${keyText(b.uplinkKey)}`,
          }));
          return;
        }
        const c = r.candidate;
        if (!ev.hasKey || c === null || c.state !== 'active' || c.greMode !== 'keys' || c.uplinkKey === null || ev.key === c.uplinkKey) return;
        ctx.keyed(`${c.id}:${ev.key}`, ev.frame, () => ({
          frames: [ev.frame],
          session: c.id,
          message: `uplink GRE key ${keyText(ev.key)} is not the session's uplink key ${keyText(c.uplinkKey)} (${REASONS[r.reason]})`,
        }));
      },
    };
  },
});
