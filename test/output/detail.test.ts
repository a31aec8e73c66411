/** The -V tree writer on hand-made field tables: order, hidden items, experts inline, data hex. */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { defineFields } from '../../src/engine/fields.js';
import { defineExperts } from '../../src/engine/expert.js';
import { HIDDEN, Packet } from '../../src/engine/packet.js';
import { TextBuf } from '../../src/engine/textbuf.js';
import { DetailWriter } from '../../src/output/detail.js';

const F = defineFields({
  a: { abbrev: 'dettest', name: 'Detail Test A', type: 'protocol' },
  b: { abbrev: 'dettestb', name: 'Detail Test B', type: 'protocol' },
  x: { abbrev: 'dettest.x', name: 'X', type: 'uint8' },
  y: { abbrev: 'dettest.y', name: 'Y', type: 'uint8', base: 'hex' },
});
const X = defineExperts({
  warn: { abbrev: 'dettest.warn', group: 'protocol', severity: 'warning', summary: 'X is {0}', rule: 'T-RULE' },
});

function packet(): Packet {
  const p = new Packet();
  p.data = Uint8Array.from([7, 0x2a, 3, 4]);
  p.caplen = 4;
  p.origlen = 4;
  return p;
}

function text(p: Packet, opts = {}): string {
  const out = new TextBuf();
  new DetailWriter(opts).write(out, p);
  return out.toString();
}

test('pre-order table: printed in order with 4-space indentation; hidden subtrees left out', () => {
  const p = packet();
  const a = p.add(F.a, 0, 2, -1);
  p.add(F.x, 0, 1, a);
  const h = p.add(F.y, 1, 1, a, HIDDEN);
  p.add(F.x, 0, 1, h); // child of a hidden item: hidden too
  const sub = p.addText(0, 2, a, 'Sub');
  p.add(F.y, 1, 1, sub);
  p.add(F.b, 2, 2, -1);
  assert.equal(text(p), 'Detail Test A\n    X: 7\n    Sub\n        Y: 0x2a\nDetail Test B\n');
});

test('a child added after later subtrees still prints under its parent', () => {
  const p = packet();
  const a = p.add(F.a, 0, 2, -1);
  p.add(F.b, 2, 2, -1);
  p.add(F.x, 0, 1, a);
  assert.equal(text(p), 'Detail Test A\n    X: 7\nDetail Test B\n');
});

test('expert items inline under their item, with the rule id; frame-level ones at the end', () => {
  const p = packet();
  const a = p.add(F.a, 0, 2, -1);
  const x = p.add(F.x, 0, 1, a);
  p.add(F.y, 1, 1, a);
  p.expert(X.warn, x, 7);
  p.expert(X.warn, -1, 'odd');
  assert.equal(
    text(p),
    'Detail Test A\n' +
      '    X: 7\n' +
      '        [Expert Info (Warning/Protocol): X is 7]\n' +
      '            [X is 7]\n' +
      '            [Severity level: Warning]\n' +
      '            [Group: Protocol]\n' +
      '            [Rule: T-RULE]\n' +
      '    Y: 0x2a\n' +
      '[Expert Info (Warning/Protocol): X is odd]\n' +
      '    [X is odd]\n' +
      '    [Severity level: Warning]\n' +
      '    [Group: Protocol]\n' +
      '    [Rule: T-RULE]\n',
  );
  const colored = new TextBuf();
  new DetailWriter({ colors: { error: ['<E>', '</E>'], warning: ['<W>', '</W>'] } }).write(colored, p);
  assert.match(colored.toString(), /^ {8}<W>\[Expert Info \(Warning\/Protocol\): X is 7\]<\/W>$/m);
});

test('repeated values come from the line cache unchanged (levels, generated flag)', () => {
  for (let round = 0; round < 3; round++) {
    const p = packet();
    const a = p.add(F.a, 0, 2, -1);
    p.add(F.x, 0, 1, a);
    p.addGen(F.x, a, 7);
    const s = p.addText(0, 1, a, 'Deeper');
    p.add(F.x, 0, 1, s);
    assert.equal(text(p), 'Detail Test A\n    X: 7\n    [X: 7]\n    Deeper\n        X: 7\n');
  }
});
