/** The flat hash tables under the correlator's per-frame lookups, checked against Map (fast-check). */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import fc from 'fast-check';
import { IntPairMap } from '../../src/sessions/intmap.js';
import { AddrTable, EndpointPairs, canonicalAddr, hashBits, ipv4Number, parseAddr } from '../../src/sessions/addr.js';

test('IntPairMap behaves like a Map of (a, b) through sets, overwrites, deletes and sets if absent', () => {
  const op = fc.tuple(fc.constantFrom('set', 'del', 'get', 'setIfAbsent'), fc.integer({ min: 0, max: 20 }), fc.integer({ min: -3, max: 40 }), fc.integer());
  fc.assert(
    fc.property(fc.array(op, { maxLength: 400 }), (ops) => {
      const m = new IntPairMap(4);
      const ref = new Map<string, number>();
      for (const [kind, a, b, v] of ops) {
        const k = `${a},${b | 0}`;
        if (kind === 'set') {
          m.set(a, b | 0, v | 0);
          ref.set(k, v | 0);
        } else if (kind === 'del') {
          assert.equal(m.delete(a, b | 0), ref.delete(k));
        } else if (kind === 'setIfAbsent') {
          assert.equal(m.setIfAbsent(a, b | 0, v | 0), ref.has(k) ? ref.get(k)! : -1);
          if (!ref.has(k)) ref.set(k, v | 0);
        }
        assert.equal(m.get(a, b | 0), ref.has(k) ? ref.get(k)! : -1);
        assert.equal(m.size, ref.size);
      }
      for (const [k, v] of ref) {
        const [a, b] = k.split(',').map(Number);
        assert.equal(m.get(a!, b!), v);
      }
    }),
    { numRuns: 300 },
  );
});

test('IntPairMap keys are int32: 0xffffffff | 0 and -1 values are distinct keys', () => {
  const m = new IntPairMap();
  m.set(1, 0xffffffff | 0, 7);
  m.set(1, 0x7fffffff, 8);
  assert.equal(m.get(1, -1), 7);
  assert.equal(m.get(1, 0x7fffffff), 8);
  assert.equal(m.get(2, -1), -1);
});

test('AddrTable interns IPv4 and IPv6 apart, finds them by bytes and by view, survives growth', () => {
  const t = new AddrTable(2);
  const addrs = ['192.0.2.1', '2001:db8::1', '0.0.0.0', '::', '::ffff:192.0.2.1', '2001:db8::2', '10.0.0.1'];
  for (let i = 1; i < 300; i++) addrs.push(`2001:db8:${i.toString(16)}::${(i * 7).toString(16)}`, `10.${i & 255}.${i >> 8}.1`);
  const ids = addrs.map((a) => t.internText(a));
  assert.equal(new Set(ids).size, addrs.length);
  addrs.forEach((a, i) => {
    const b = parseAddr(a);
    assert.equal(t.lookup(b, 0, b.length), ids[i]);
    const buf = new Uint8Array(b.length + 3);
    buf.set(b, 3);
    assert.equal(t.lookupView(new DataView(buf.buffer), 3, b.length), ids[i]);
    assert.equal(t.text(ids[i]!), canonicalAddr(a));
  });
  assert.equal(t.lookup(parseAddr('192.0.2.99'), 0, 4), -1);
});

test('AddrTable gives back the words, prefix hashes and prefix comparisons of what it holds; the text it made leads back to the same id', () => {
  const t = new AddrTable(2);
  const addr = fc.oneof(fc.uint8Array({ minLength: 4, maxLength: 4 }), fc.uint8Array({ minLength: 16, maxLength: 16 }));
  fc.assert(
    fc.property(addr, fc.nat(128), fc.nat(127), (b, bitsSeed, flip) => {
      const id = t.intern(b, 0, b.length);
      const view = new DataView(b.buffer, b.byteOffset, b.length);
      for (let w = 0; w < b.length / 4; w++) assert.equal(t.word(id, w), view.getInt32(4 * w));
      // hashBits as over the octets, for any prefix length; the prefix equal to the address itself and to a copy that differs only past it
      const bits = bitsSeed % (b.length * 8 + 1);
      assert.equal(t.hashBits(id, bits), hashBits(b, 0, bits));
      const other = new Uint8Array(b.length + 2);
      other.set(b, 2);
      assert.equal(t.prefixEquals(id, other, 2, bits), true);
      const at = flip % (b.length * 8);
      const k = 2 + (at >>> 3);
      other[k] = other[k]! ^ (0x80 >>> (at & 7));
      assert.equal(t.prefixEquals(id, other, 2, bits), at >= bits);
      if (b.length === 4) assert.equal(t.ipv4(id), ipv4Number(b, 0));
      // (the correlator looks up the texts of a shared table's events: FastPathOptions.addresses)
      assert.equal(t.internText(t.text(id)), id);
      assert.deepEqual(parseAddr(t.text(id)), b);
    }),
    { numRuns: 500 },
  );
});

test('EndpointPairs finds (source, destination) pairs of IPv4 or IPv6 addresses in a view, direction and length apart', () => {
  const addr = fc.oneof(fc.uint8Array({ minLength: 4, maxLength: 4 }), fc.uint8Array({ minLength: 16, maxLength: 16 }));
  fc.assert(
    fc.property(fc.array(fc.tuple(addr, fc.nat(15)), { minLength: 1, maxLength: 60 }), fc.nat(7), (pool, pad) => {
      const t = new EndpointPairs(2);
      const ref = new Map<string, number>();
      // pairs of the pool's addresses of one length, both directions, each in a buffer at an odd offset
      const pairs: [Uint8Array, Uint8Array][] = [];
      for (const [a, j] of pool) {
        const b = pool[j % pool.length]![0];
        if (b.length === a.length) pairs.push([a, b], [b, a]);
      }
      const view = (a: Uint8Array, b: Uint8Array) => {
        const buf = new Uint8Array(pad + a.length + b.length);
        buf.set(a, pad);
        buf.set(b, pad + a.length);
        return new DataView(buf.buffer);
      };
      pairs.forEach(([a, b], v) => {
        const key = `${a.length}:${a.join('.')}>${b.join('.')}`;
        const dv = view(a, b);
        assert.equal(t.get(dv, pad, pad + a.length, a.length), ref.get(key) ?? -1);
        if (!ref.has(key)) {
          t.add(dv, pad, pad + a.length, a.length, v);
          ref.set(key, v);
        }
        assert.equal(t.get(dv, pad, pad + a.length, a.length), ref.get(key));
      });
      // everything still there after the table grew
      for (const [a, b] of pairs) assert.equal(t.get(view(a, b), pad, pad + a.length, a.length), ref.get(`${a.length}:${a.join('.')}>${b.join('.')}`));
      // an IPv4 pair is not the IPv6 pair whose first words are the same
      const v4 = new Uint8Array([192, 0, 2, 1]);
      const v6 = new Uint8Array(16);
      v6.set(v4);
      if (!ref.has(`4:${v4.join('.')}>${v4.join('.')}`)) t.add(view(v4, v4), pad, pad + 4, 4, 7);
      assert.equal(t.get(view(v6, v6), pad, pad + 16, 16), ref.get(`16:${v6.join('.')}>${v6.join('.')}`) ?? -1);
    }),
    { numRuns: 300 },
  );
});

test('EndpointPairs tells apart pairs that differ in any one word of either address', () => {
  // 1000 pairs per word position, alike but for that word: probe chains cross, so a word
  // left out of the comparison answers another pair's value
  for (let word = 0; word < 8; word++) {
    const t = new EndpointPairs();
    const buf = new Uint8Array(32);
    const dv = new DataView(buf.buffer);
    const put = (k: number) => {
      buf.fill(0x20);
      dv.setInt32(word * 4, k);
    };
    for (let k = 0; k < 1000; k++) {
      put(k);
      t.add(dv, 0, 16, 16, k);
    }
    for (let k = 0; k < 1000; k++) {
      put(k);
      assert.equal(t.get(dv, 0, 16, 16), k, `word ${word}, pair ${k}`);
    }
    put(1000);
    assert.equal(t.get(dv, 0, 16, 16), -1);
  }
});

test('parseAddr / canonicalAddr follow RFC 5952', () => {
  assert.equal(canonicalAddr('2001:DB8:0:0:0:0:0:1'), '2001:db8::1');
  assert.equal(canonicalAddr('2001:db8:0:1:0:0:0:1'), '2001:db8:0:1::1');
  assert.deepEqual([...parseAddr('::ffff:10.0.0.1')], [0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 255, 255, 10, 0, 0, 1]);
  assert.throws(() => parseAddr('1.2.3'));
  assert.throws(() => parseAddr('2001:db8::1::2'));
});

test('MultiIndex keeps one or several values per key, like a Map of Sets', async () => {
  const { MultiIndex, MULTIPLE } = await import('../../src/sessions/intmap.js');
  const op = fc.tuple(fc.boolean(), fc.integer({ min: 0, max: 5 }), fc.integer({ min: 0, max: 6 }));
  fc.assert(
    fc.property(fc.array(op, { maxLength: 300 }), (ops) => {
      const m = new MultiIndex();
      const ref = new Map<number, Set<number>>();
      for (const [add, k, v] of ops) {
        const s = ref.get(k) ?? new Set<number>();
        if (add) {
          // add answers what get gave before it
          const before = s.size === 0 ? -1 : s.size === 1 ? [...s][0]! : MULTIPLE;
          assert.equal(m.add(k, 7, v), before);
          s.add(v);
        } else {
          m.remove(k, 7, v);
          s.delete(v);
        }
        ref.set(k, s);
        const want = s.size === 0 ? -1 : s.size === 1 ? [...s][0]! : MULTIPLE;
        assert.equal(m.get(k, 7), want);
        assert.deepEqual(m.all(k, 7).sort(), [...s].sort());
      }
    }),
    { numRuns: 200 },
  );
});
