/**
 * The byte-sequence interner (src/sessions/intern.ts) used by the Extractor for signalling
 * addresses and MN identifiers, and parseAddr's dotted-quad shortcut (src/sessions/addr.ts).
 */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { BytesInterner } from '../../src/sessions/intern.js';
import { addrText, parseAddr } from '../../src/sessions/addr.js';

const utf8 = new TextDecoder();

test('BytesInterner: equal bytes give the same string, decoded once; different bytes differ', () => {
  let decodes = 0;
  const it = new BytesInterner((d, s, e) => {
    decodes++;
    return utf8.decode(d.subarray(s, e));
  });
  const text = 'xxmn1@a.example..mn2@a.example..mn1@a.example..mn1@a.exampl';
  const buf = new TextEncoder().encode(text);
  const at = (from: number, s: string): [number, number] => {
    const i = text.indexOf(s, from);
    return [i, i + s.length];
  };
  const a = it.get(buf, ...at(0, 'mn1@a.example'));
  const b = it.get(buf, ...at(0, 'mn2@a.example'));
  const c = it.get(buf, ...at(20, 'mn1@a.example')); // the same identifier, elsewhere in the buffer
  const d = it.get(buf, ...at(text.length - 12, 'mn1@a.exampl')); // a prefix of it: other bytes
  assert.equal(a, 'mn1@a.example');
  assert.equal(b, 'mn2@a.example');
  assert.equal(c, 'mn1@a.example');
  assert.equal(d, 'mn1@a.exampl');
  assert.equal(decodes, 3, 'the repeated identifier is not decoded again');
  assert.equal(it.get(new Uint8Array(0), 0, 0), '');
  assert.equal(it.get(new Uint8Array(0), 0, 0), '');
  assert.equal(decodes, 4, 'the empty sequence is one entry too');
});

test('BytesInterner: many distinct values (table growth, hash collisions) all map back to their text', () => {
  const it = new BytesInterner((d, s, e) => addrText(d, s, e - s));
  const bytes: Uint8Array[] = [];
  for (let i = 0; i < 5000; i++) {
    const b = new Uint8Array(16);
    b[0] = 0x20;
    b[1] = 0x01;
    b[14] = i >> 8;
    b[15] = i & 255;
    bytes.push(b);
  }
  for (let round = 0; round < 2; round++) {
    for (let i = 0; i < bytes.length; i++) {
      assert.equal(it.get(bytes[i]!, 0, 16), i === 0 ? '2001::' : `2001::${i.toString(16)}`);
    }
  }
  // IPv4 and IPv6 of the same leading bytes are different entries (the length is part of the key)
  const v4 = new Uint8Array([0x20, 0x01, 0, 0]);
  assert.equal(it.get(v4, 0, 4), '32.1.0.0');
});

test('BytesInterner: past its limit it starts over and still returns the right strings', () => {
  let decodes = 0;
  const it = new BytesInterner((d, s, e) => {
    decodes++;
    return utf8.decode(d.subarray(s, e));
  }, 4);
  const enc = (s: string) => new TextEncoder().encode(s);
  const words = ['a', 'b', 'c', 'd', 'e', 'f', 'a', 'b'];
  assert.deepEqual(words.map((w) => { const b = enc(w); return it.get(b, 0, b.length); }), words);
  assert.ok(decodes >= 6 && decodes <= 8, `decodes ${decodes}`);
  const again = enc('f');
  const before = decodes;
  assert.equal(it.get(again, 0, 1), 'f');
  assert.ok(decodes - before <= 1);
});

test('parseAddr: dotted quads (the quick path) and the general IPv4 rules give the same bytes', () => {
  assert.deepEqual([...parseAddr('192.0.2.255')], [192, 0, 2, 255]);
  assert.deepEqual([...parseAddr('0.0.0.0')], [0, 0, 0, 0]);
  assert.deepEqual([...parseAddr('010.001.1.09')], [10, 1, 1, 9]);
  // forms the quick path leaves to the general code keep their old meaning
  assert.deepEqual([...parseAddr('1..2.3')], [1, 0, 2, 3]);
  assert.deepEqual([...parseAddr(' 1.2.3.4')], [1, 2, 3, 4]);
  assert.deepEqual([...parseAddr('1.2.3.0255')], [1, 2, 3, 255]);
  for (const bad of ['256.0.0.1', '1.2.3.256', '1.2.3', '1.2.3.4.5', 'a.b.c.d', '1.2.3.-1']) {
    assert.throws(() => parseAddr(bad), /bad IPv4 address/, bad);
  }
  for (let i = 0; i < 2000; i++) {
    const q = [(i * 37) & 255, (i * 101) & 255, i & 255, (i >> 3) & 255];
    assert.deepEqual([...parseAddr(q.join('.'))], q);
    assert.equal(addrText(parseAddr(q.join('.')), 0, 4), q.join('.'));
  }
});

test('BytesInterner: each of many distinct values is decoded once (entries and pool growth)', () => {
  let decodes = 0;
  const it = new BytesInterner((d, s, e) => {
    decodes++;
    return utf8.decode(d.subarray(s, e));
  });
  const ids = Array.from({ length: 3000 }, (_, i) => new TextEncoder().encode(`mn${i}@${'x'.repeat(i % 50)}.example`));
  for (let round = 0; round < 3; round++) {
    for (let i = 0; i < ids.length; i++) assert.equal(it.get(ids[i]!, 0, ids[i]!.length), `mn${i}@${'x'.repeat(i % 50)}.example`);
    assert.equal(decodes, ids.length, `round ${round}`);
  }
});
