import { defineSessionRule } from '../rule.js';
import { accepted, PerBinding, S_NO_TLV } from '../predicates.js';
import { DIR_UP, ENCAP_UDP_TLV } from '../../sessions/types.js';

export default defineSessionRule({
  id: 'S-TLV-WITHOUT-NEGOTIATION',
  severity: 'error',
  scope: 'session + data',
  refs: [{ rfc: 5845, section: '7.2', note: 'N37, N41' }, { rfc: 5845, section: '7.3', note: 'N43' }],
  summary: 'TLV-framed packet for a session where T was not set in both the PBU and the successful PBA',
  explanation:
    'The TLV-header format is used only when negotiated: T in the PBU (the MAG asks) and T in the successful PBA (the LMA agrees, status other than 3). Sending TLV-framed data otherwise means the peer does not expect the TLV header and misreads the packet.',
  fix: 'Negotiate the TLV format (T in PBU and PBA) before sending UDP/TLV data, or send the format that was negotiated.',
  create(ctx) {
    /** binding id → TLV negotiated by the last successful exchange (1), or not (0); -1 none yet */
    const negotiated = new PerBinding();
    return {
      onPair(o) {
        if (!accepted(o.pba.status) || o.kind === 'deregistration') return;
        negotiated.set(o.binding.id, o.pbu.tFlag && o.pba.tFlag && o.pba.status !== S_NO_TLV ? 1 : 0);
      },
      onData(ev, r) {
        const b = r.binding;
        if (b === null || ev.encap !== ENCAP_UDP_TLV || negotiated.get(b.id) === 1) return;
        const dir = r.direction === DIR_UP ? 'uplink' : 'downlink';
        ctx.keyed(`${b.id}:${dir}`, ev.frame, () => ({ frames: [ev.frame], session: b.id, message: `${dir} TLV-framed packet, but the TLV format was not negotiated (T in both the PBU and the successful PBA)` }));
      },
    };
  },
});
