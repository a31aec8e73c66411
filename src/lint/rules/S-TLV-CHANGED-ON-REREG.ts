import { defineSessionRule } from '../rule.js';
import { accepted, PerBinding } from '../predicates.js';

export default defineSessionRule({
  id: 'S-TLV-CHANGED-ON-REREG',
  severity: 'warning',
  scope: 'session',
  refs: [{ rfc: 5845, section: '7.2', note: 'N40' }],
  summary: 'The T flag of a re-registration from the same MAG differs from the one negotiated',
  explanation:
    'The TLV-header tunnelling format SHOULD NOT change during a lifetime extension from the same MAG (only a handoff may renegotiate it). Here the T flag of the lifetime-extension PBU or PBA differs from the last successful exchange, so the data format may flip mid-session. (The flags are compared with those of the last successful PBU/PBA of the session.)',
  fix: 'Keep the T flag of re-registrations from the same MAG as it was negotiated.',
  create(ctx) {
    /** binding id → T flags (bit 1: PBU, bit 0: PBA) of the last successful exchange */
    const last = new PerBinding();
    return {
      onPair(o) {
        if (!accepted(o.pba.status) || o.kind === 'deregistration') return;
        const now = (o.pbu.tFlag ? 2 : 0) | (o.pba.tFlag ? 1 : 0);
        const before = last.get(o.binding.id);
        last.set(o.binding.id, now);
        if (o.kind !== 'lifetime-extension' || before < 0 || before === now) return;
        const parts: string[] = [];
        const frames: number[] = [];
        if ((before & 2) !== (now & 2)) {
          parts.push(`PBU T ${before & 2 ? 1 : 0} → ${now & 2 ? 1 : 0}`);
          frames.push(o.pbu.frame);
        }
        if ((before & 1) !== (now & 1)) {
          parts.push(`PBA T ${before & 1} → ${now & 1}`);
          frames.push(o.pba.frame);
        }
        ctx.report({ frames, session: o.binding.id, message: `lifetime extension from the same MAG changes the TLV flag: ${parts.join(', ')}` });
      },
    };
  },
});
