/**
 * The generator's time queue (a calendar queue with a far-future heap) must hand out entries in
 * exactly (time, insertion order), whatever the bucket width, the ring size and the pattern of
 * reschedules (into the current bucket, a later one, or past the ring into the far heap).
 */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import fc from 'fast-check';
import { CalendarQueue } from '../../src/generate/queue.js';

interface E {
  t: number;
  ord: number;
  id: number;
  fire(): number;
}

test('calendar queue order equals a sorted reference', () => {
  fc.assert(
    fc.property(
      fc.integer({ min: 1, max: 5000 }),
      fc.integer({ min: 1, max: 6 }),
      fc.array(fc.tuple(fc.integer({ min: 0, max: 100000 }), fc.array(fc.integer({ min: 0, max: 40000 }), { maxLength: 6 })), { minLength: 1, maxLength: 60 }),
      (width, ringBits, specs) => {
        const q = new CalendarQueue<E>(width, ringBits);
        let ord = 0;
        // each entry starts at t0 and then moves by the given steps (0 = same time)
        const steps = new Map<number, number[]>();
        specs.forEach(([t0, st], id) => {
          steps.set(id, [...st]);
          const e: E = { t: t0, ord: ord++, id, fire: () => -1 };
          q.push(e);
        });
        const seen: [number, number][] = [];
        let last: [number, number] = [-1, -1];
        while (q.size > 0) {
          const x = q.peek()!;
          const key: [number, number] = [x.t, x.ord];
          assert.ok(key[0] > last[0] || (key[0] === last[0] && key[1] > last[1]), `out of order: ${key} after ${last}`);
          last = key;
          seen.push(key);
          const st = steps.get(x.id) ?? [];
          if (st.length) {
            x.t += st.shift()!;
            x.ord = ord++;
            q.fixTop();
          } else q.pop();
          // occasionally schedule a new entry at the current time or later
          if (seen.length % 7 === 3) q.push({ t: x.t + (seen.length % 3) * width, ord: ord++, id: -1, fire: () => -1 });
        }
        const total = specs.reduce((n, [, st]) => n + 1 + st.length, 0);
        assert.ok(seen.length >= total);
      },
    ),
    { numRuns: 300 },
  );
});
