/**
 * TextBuf's number and address writers (src/engine/textbuf.ts) against plain references:
 * String(v), toString(16), a straightforward RFC 5952 formatter; and copyText across buffers
 * that grow or are replaced.
 */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import fc from 'fast-check';
import { copyText, decDigits, int32Dec, TextBuf } from '../../src/engine/textbuf.js';

const text = (f: (t: TextBuf) => void): string => {
  const t = new TextBuf(2); // small: every writer has to grow it
  t.str('<');
  f(t);
  t.str('>');
  return t.toString();
};

test('dec equals String() for safe integers, around the int32 and 10^9 boundaries too', () => {
  const edges = [0, 1, 9, 10, 99, 100, 2 ** 31 - 1, 2 ** 31, 2 ** 32 - 1, 2 ** 32, 999_999_999, 1e9, 1e9 + 1, 2e9 - 1, 3e9, 1e15 - 1, 1e15, 2 ** 53 - 1];
  for (const v of edges) {
    assert.equal(text((t) => t.dec(v)), `<${v}>`);
    assert.equal(text((t) => t.dec(-v)), `<${v === 0 ? 0 : -v}>`);
  }
  fc.assert(
    fc.property(fc.oneof(fc.nat(), fc.integer({ min: 0, max: 2 ** 32 }), fc.maxSafeNat()), (v) => {
      assert.equal(text((t) => t.dec(v)), `<${v}>`);
    }),
    { numRuns: 5000 },
  );
});

test('int32Dec and decDigits agree with String()', () => {
  fc.assert(
    fc.property(fc.integer({ min: 0, max: 2 ** 31 - 1 }), fc.nat(8), (v, at) => {
      const b = new Uint8Array(24);
      const end = int32Dec(b, at, v);
      assert.equal(end - at, decDigits(v));
      assert.equal(new TextDecoder().decode(b.subarray(at, end)), String(v));
    }),
    { numRuns: 3000 },
  );
});

test('hex and hex0x equal toString(16) zero-padded, for 32-bit and larger values', () => {
  fc.assert(
    fc.property(fc.oneof(fc.integer({ min: 0, max: 2 ** 32 - 1 }), fc.maxSafeNat(), fc.constantFrom(0, 1, 15, 16, 2 ** 32 - 1, 2 ** 32)), fc.nat(12), (v, w) => {
      const want = v.toString(16).padStart(w, '0');
      assert.equal(text((t) => t.hex(v, w)), `<${want}>`);
      assert.equal(text((t) => t.hex0x(v, w)), `<0x${want}>`);
    }),
    { numRuns: 5000 },
  );
});

/** RFC 5952 §4 (and the IPv4-mapped form Wireshark prints), written out plainly. */
function v6Reference(a: Uint8Array): string {
  const g = Array.from({ length: 8 }, (_, i) => (a[2 * i]! << 8) | a[2 * i + 1]!);
  let best = -1;
  let bestLen = 0;
  for (let i = 0; i < 8; i++) {
    let j = i;
    while (j < 8 && g[j] === 0) j++;
    if (j - i > bestLen) {
      best = i;
      bestLen = j - i;
    }
  }
  if (bestLen < 2) best = -1;
  if (best === 0 && bestLen === 5 && g[5] === 0xffff) return `::ffff:${a[12]}.${a[13]}.${a[14]}.${a[15]}`;
  const hex = g.map((x) => x.toString(16));
  if (best < 0) return hex.join(':');
  return `${hex.slice(0, best).join(':')}::${hex.slice(best + bestLen).join(':')}`;
}

test('ipv6 follows RFC 5952 for every pattern of zero groups', () => {
  // each group zero, small, 0xffff or random, as chosen by the pattern bits
  fc.assert(
    fc.property(fc.array(fc.oneof(fc.constant(0), fc.constant(0), fc.integer({ min: 1, max: 15 }), fc.constant(0xffff), fc.integer({ min: 0, max: 0xffff })), { minLength: 8, maxLength: 8 }), fc.nat(5), (groups, at) => {
      const buf = new Uint8Array(at + 16 + 3).fill(0xee);
      for (let i = 0; i < 8; i++) {
        buf[at + 2 * i] = groups[i]! >>> 8;
        buf[at + 2 * i + 1] = groups[i]! & 0xff;
      }
      assert.equal(text((t) => t.ipv6(buf, at)), `<${v6Reference(buf.subarray(at, at + 16))}>`);
    }),
    { numRuns: 5000 },
  );
  for (let m = 0; m < 256; m++) {
    const a = new Uint8Array(16);
    for (let i = 0; i < 8; i++) if (!(m & (1 << i))) a[2 * i + 1] = i + 1;
    assert.equal(text((t) => t.ipv6(a, 0)), `<${v6Reference(a)}>`, `pattern ${m.toString(2)}`);
  }
  const mapped = new Uint8Array([0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0xff, 0xff, 192, 0, 2, 1]);
  assert.equal(text((t) => t.ipv6(mapped, 0)), '<::ffff:192.0.2.1>');
});

test('copyText copies any length, and view() follows a replaced or grown buffer', () => {
  fc.assert(
    fc.property(fc.string({ maxLength: 300 }), fc.nat(9), (s, at) => {
      const src = new TextBuf(4).str(s);
      const out = new TextBuf(8);
      // replace the buffer as the output sinks do (buf is public), then copy through view()
      out.buf = new Uint8Array(at + src.len + 4).fill(0x21);
      const end = copyText(out.buf, out.view(), at, src);
      assert.equal(end, at + src.len);
      assert.deepEqual(out.buf.subarray(at, end), src.buf.subarray(0, src.len));
      assert.ok(out.buf.subarray(0, at).every((c) => c === 0x21), 'bytes before untouched');
      assert.ok(out.buf.subarray(end).every((c) => c === 0x21), 'bytes after untouched');
    }),
    { numRuns: 2000 },
  );
});

test('printable keeps 0x20-0x7e and writes "." for every other octet, growing the buffer', () => {
  const all = Uint8Array.from({ length: 256 }, (_, i) => i);
  const t = new TextBuf(4).str('>');
  t.printable(all, 0, 256).printable(all, 65, 68).printable(all, 10, 10);
  const want = '>' + Array.from(all, (c) => (c >= 0x20 && c <= 0x7e ? String.fromCharCode(c) : '.')).join('') + 'ABC';
  assert.equal(t.toString(), want);
  assert.equal(t.len, 1 + 256 + 3);
});
