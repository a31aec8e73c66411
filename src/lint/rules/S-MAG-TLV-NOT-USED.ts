import { defineSessionRule } from '../rule.js';
import { DIR_UP, ENCAP_GRE, ENCAP_NAMES, ENCAP_UDP } from '../../sessions/types.js';

export default defineSessionRule({
  id: 'S-MAG-TLV-NOT-USED',
  severity: 'error',
  scope: 'session + data',
  refs: [{ rfc: 5845, section: '7.2', note: 'N39' }, { rfc: 5845, section: '7.3', note: 'N44/N45' }, { rfc: 5845, section: '7.3.1', note: 'N49' }],
  summary: 'TLV format negotiated, yet an uplink packet is IPv4/GRE or UDP without the TLV header',
  explanation:
    'A successful PBA with T set and the GRE Key option obliges the MAG to use the TLV-header UDP format (IPv4 | UDP | TLV | GRE) for all uplink packets while the mobile node is attached. The LMA expects the TLV header after UDP; other formats are dropped.',
  fix: 'MAG: after T was granted, send uplink traffic as IPv4/UDP/TLV/GRE.',
  create(ctx) {
    return {
      onData(ev, r) {
        const b = r.binding;
        if (b === null || r.direction !== DIR_UP || !b.tlv || (ev.encap !== ENCAP_GRE && ev.encap !== ENCAP_UDP)) return;
        ctx.keyed(b.id * 8 + ev.encap, ev.frame, () => ({
          frames: [ev.frame],
          session: b.id,
          message: `TLV format negotiated but the uplink packet is ${ev.encap === ENCAP_UDP ? (ev.gre ? 'GRE in UDP without the TLV header' : 'UDP without the TLV header') : (ENCAP_NAMES[ev.encap] ?? '?') + ' without UDP/TLV'}`,
        }));
      },
    };
  },
});
