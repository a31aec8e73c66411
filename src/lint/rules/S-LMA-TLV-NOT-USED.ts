import { defineSessionRule } from '../rule.js';
import { DIR_DOWN, ENCAP_GRE, ENCAP_NAMES, ENCAP_UDP_TLV } from '../../sessions/types.js';

export default defineSessionRule({
  id: 'S-LMA-TLV-NOT-USED',
  severity: 'warning',
  scope: 'session + data',
  refs: [{ rfc: 5845, section: '7.4.1' }],
  summary: 'TLV format negotiated, yet a downlink packet is not UDP/TLV/GRE',
  explanation:
    'With the TLV-header format negotiated (typically because of NAT between MAG and LMA), the LMA tunnels downlink traffic as IPv4/UDP/TLV/GRE. Other formats may not traverse the NAT or be recognised by the MAG.',
  fix: 'LMA: send the session\'s downlink traffic as IPv4/UDP/TLV/GRE while TLV is negotiated.',
  create(ctx) {
    return {
      onData(ev, r) {
        const b = r.binding;
        if (b === null || r.direction !== DIR_DOWN || !b.tlv || (ev.encap === ENCAP_UDP_TLV && ev.gre)) return;
        ctx.keyed(b.id * 16 + ev.encap * 2 + (ev.gre ? 1 : 0), ev.frame, () => ({
          frames: [ev.frame],
          session: b.id,
          message: `TLV format negotiated but the downlink packet is ${ev.encap === ENCAP_UDP_TLV ? 'TLV without GRE' : `${ENCAP_NAMES[ev.encap] ?? '?'}${ev.gre && ev.encap !== ENCAP_GRE ? ' (GRE)' : ''}`}, not UDP/TLV/GRE`,
        }));
      },
    };
  },
});
