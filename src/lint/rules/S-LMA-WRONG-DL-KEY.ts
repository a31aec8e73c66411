import { defineSessionRule } from '../rule.js';
import { keyText } from '../predicates.js';
import { DIR_DOWN, REASONS } from '../../sessions/types.js';

export default defineSessionRule({
  id: 'S-LMA-WRONG-DL-KEY',
  severity: 'error',
  scope: 'session + data',
  refs: [{ rfc: 5845, section: '5.2', note: 'N29' }],
  summary: 'Downlink GRE packet of a session with GRE keys carries a key other than the negotiated downlink key',
  explanation:
    'The LMA MUST use the downlink key the MAG chose (in the PBU) in every downlink GRE packet of the session. With another key the MAG drops the packet or delivers it to the wrong mobile node. The session is found from the inner destination address (or the key\'s earlier owner).',
  fix: 'LMA: use the downlink key from the session\'s last successful PBU.',
  create(ctx) {
    return {
      onData(ev, r) {
        if (r.direction !== DIR_DOWN || !ev.gre || !ev.hasKey) return;
        const b = r.binding;
        if (b !== null) {
          if (b.greMode !== 'keys' || b.downlinkKey === null || ev.key === b.downlinkKey) return;
          ctx.keyed(`${b.id}:${ev.key}`, ev.frame, () => ({ frames: [ev.frame], session: b.id, message: `downlink GRE key ${keyText(ev.key)} is not the session's downlink key ${keyText(b.downlinkKey)}` }));
          return;
        }
        const c = r.candidate;
        if (c === null || c.state !== 'active' || c.greMode !== 'keys' || c.downlinkKey === null || ev.key === c.downlinkKey) return;
        ctx.keyed(`${c.id}:${ev.key}`, ev.frame, () => ({
          frames: [ev.frame],
          session: c.id,
          message: `downlink GRE key ${keyText(ev.key)} is not the session's downlink key ${keyText(c.downlinkKey)} (${REASONS[r.reason]})`,
        }));
      },
    };
  },
});
