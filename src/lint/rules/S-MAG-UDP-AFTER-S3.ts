import { defineSessionRule } from '../rule.js';
import { S_NO_TLV } from '../predicates.js';
import { DIR_UP, ENCAP_NAMES, ENCAP_UDP, ENCAP_UDP_TLV } from '../../sessions/types.js';

export default defineSessionRule({
  id: 'S-MAG-UDP-AFTER-S3',
  severity: 'error',
  scope: 'session + data',
  refs: [{ rfc: 5845, section: '7.3', note: 'N46' }],
  summary: 'After a PBA with status 3 the MAG still sends uplink data over UDP',
  explanation:
    'Status 3 (GRE_TUNNELING_BUT_TLV_HEADER_NOT_SUPPORTED) means GRE was accepted without the TLV format: the MAG MUST use GRE encapsulation without UDP (IPv4/GRE). UDP-encapsulated uplink data, with or without the TLV header, is not what the LMA agreed to.',
  fix: 'MAG: after status 3, tunnel uplink traffic as IPv4/GRE (or renegotiate / de-register).',
  create(ctx) {
    return {
      onData(ev, r) {
        const b = r.binding;
        if (b === null || r.direction !== DIR_UP || b.lastSuccessStatus !== S_NO_TLV || (ev.encap !== ENCAP_UDP && ev.encap !== ENCAP_UDP_TLV)) return;
        ctx.keyed(b.id * 8 + ev.encap, ev.frame, () => ({ frames: [ev.frame], session: b.id, message: `uplink packet over UDP (${ENCAP_NAMES[ev.encap]}) after the session's PBA with status 3; IPv4/GRE without UDP was negotiated` }));
      },
    };
  },
});
