import { defineSessionRule } from '../rule.js';
import { directedHash, keyText } from '../predicates.js';
import { DIR_UP } from '../../sessions/types.js';

const TWO32 = 0x100000000;
/** Unattributed (tunnel, key) sequence spaces kept; past it the table starts over (memory bound). */
const MAX_UNATTRIBUTED = 65536;

export default defineSessionRule({
  id: 'G-SEQ-OUT-OF-ORDER',
  severity: 'info',
  scope: 'per key',
  data: 'sequenced',
  refs: [{ rfc: 2890, section: '2.2' }],
  summary: 'GRE sequence number not after the last one seen for the same key',
  explanation:
    'With S set, the sequence number grows by one per packet of a key (modulo 2^32); a receiver discards a packet whose number is not after the last one (serial comparison). A repeated or older number means duplication, reordering or a sender restarting its counter. Sequence spaces are tracked per tunnel direction and key (per session and direction for attributed traffic).',
  fix: 'Sender: increment the GRE sequence number by one per packet of each key; start a new key for a new counter.',
  create(ctx) {
    // attributed traffic: slot = binding id * 2 + (uplink ? 0 : 1)
    let last = new Float64Array(256).fill(-1);
    let lastKey = new Float64Array(256).fill(-2);
    // unattributed traffic: directed tunnel hash → key → last sequence number
    const other = new Map<number, Map<number, number>>();
    const check = (prev: number, seq: number): boolean => {
      const d = (seq - prev + TWO32) % TWO32;
      return d === 0 || d >= 0x80000000;
    };
    return {
      onData(ev, r) {
        if (!ev.hasSeq || !ev.gre) return;
        const seq = ev.seq;
        const key = ev.hasKey ? ev.key : -1;
        const b = r.binding;
        const dir = r.direction === DIR_UP ? 'uplink' : 'downlink';
        if (b !== null) {
          const slot = b.id * 2 + (r.direction === DIR_UP ? 0 : 1);
          if (slot >= last.length) {
            const n = Math.max(slot + 1, last.length * 2);
            const l2 = new Float64Array(n).fill(-1);
            l2.set(last);
            last = l2;
            const k2 = new Float64Array(n).fill(-2);
            k2.set(lastKey);
            lastKey = k2;
          }
          const prev = last[slot]!;
          if (lastKey[slot] !== key || prev < 0) {
            lastKey[slot] = key;
            last[slot] = seq;
            return;
          }
          if (!check(prev, seq)) {
            last[slot] = seq;
            return;
          }
          ctx.keyed(slot * TWO32 + (key + 1), ev.frame, () => ({
            frames: [ev.frame],
            session: b.id,
            message: `${dir} GRE sequence number ${seq} is not after ${prev}${key >= 0 ? ` (key ${keyText(key)})` : ''}`,
          }));
          return;
        }
        const h = directedHash(ev.data, ev.outerSrc, ev.outerDst, ev.outerLen);
        let m = other.get(h);
        if (m === undefined) {
          if (other.size >= MAX_UNATTRIBUTED) other.clear();
          other.set(h, (m = new Map()));
        }
        if (m.size >= MAX_UNATTRIBUTED) m.clear();
        const prev = m.get(key);
        if (prev === undefined || !check(prev, seq)) {
          m.set(key, seq);
          return;
        }
        ctx.keyed(`u:${h}:${key}`, ev.frame, () => ({
          frames: [ev.frame],
          session: null,
          message: `GRE sequence number ${seq} is not after ${prev}${key >= 0 ? ` (key ${keyText(key)})` : ''} on an unattributed tunnel`,
        }));
      },
    };
  },
});
