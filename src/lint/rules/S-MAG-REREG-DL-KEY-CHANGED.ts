import { defineSessionRule } from '../rule.js';
import { keyText, lastGrant } from '../predicates.js';

export default defineSessionRule({
  id: 'S-MAG-REREG-DL-KEY-CHANGED',
  severity: 'info',
  scope: 'session',
  refs: [{ rfc: 5845, section: '3.3.2' }],
  summary: 'Lifetime-extension PBU from the same MAG offers a different downlink key',
  explanation:
    'A new MAG may pick a new downlink key after a handoff; the same MAG re-registering is not expected to. Downlink packets in flight with the old key may be misdelivered.',
  fix: 'MAG: keep the downlink key for the lifetime of the session.',
  create(ctx) {
    return {
      onPbu(o) {
        if (o.retransmissionOf !== null || o.kind !== 'lifetime-extension') return;
        const prev = o.previous;
        if (prev === null || prev.downlinkKey === null || o.pbu.greKey === null || o.pbu.greKey === prev.downlinkKey) return;
        const g = lastGrant(o.binding)?.pbuFrame;
        ctx.report({
          frames: g !== undefined ? [g, o.pbu.frame] : [o.pbu.frame],
          session: o.binding.id,
          message: `re-registration PBU offers downlink key ${keyText(o.pbu.greKey)}; the session's downlink key is ${keyText(prev.downlinkKey)}${g !== undefined ? ` (offered in frame ${g})` : ''}`,
        });
      },
    };
  },
});
