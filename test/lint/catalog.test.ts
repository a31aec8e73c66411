/**
 * The rule registry against the catalog (shared/spec/lint-rules.md, whose ids are public) and
 * against the dissectors' expert items: every catalog id is a rule with the catalog's default
 * severity and scope; every packet-scope rule is raised by some registered expert item (so a
 * missing detection fails here); every expert item that names a rule names a catalog rule; and
 * docs/lint.md is the current rendering of the registry.
 */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { existsSync, readFileSync, readdirSync } from 'node:fs';
import { join } from 'node:path';
import './helpers.js';
import { allExperts } from '../../src/engine/expert.js';
import { RULES, SESSION_RULES } from '../../src/lint/rules/index.js';
import { PACKET_RULES } from '../../src/lint/rules/packet.js';
import { severityOfExpert } from '../../src/lint/rule.js';
import { rulesMarkdown } from '../../src/lint/format/rules.js';
import { ROOT } from '../helpers/cli.js';

const CATALOG = join(ROOT, '..', 'shared', 'spec', 'lint-rules.md');

interface CatalogRow {
  id: string;
  severity: string;
  scope: string;
  section: number;
}

function parseCatalog(text: string): CatalogRow[] {
  const rows: CatalogRow[] = [];
  let section = 0;
  for (const line of text.split('\n')) {
    const h = /^## (\d+)\./.exec(line);
    if (h) section = Number(h[1]);
    const m = /^\| ([A-Z]-[A-Z0-9-]+) \| ([^|]+) \| ([^|]+) \|/.exec(line);
    if (!m || section < 1 || section > 4) continue;
    const severity = /^(error|warning|info)\b/.exec(m[2]!.trim())![1]!;
    const scope = section <= 2 ? 'packet' : m[3]!.trim();
    rows.push({ id: m[1]!, severity, scope, section });
  }
  return rows;
}

test('the catalog is readable', { skip: !existsSync(CATALOG) && !process.env.CI ? `catalog not found at ${CATALOG}` : false }, () => {
  const rows = parseCatalog(readFileSync(CATALOG, 'utf8'));
  assert.ok(rows.length >= 70, `parsed only ${rows.length} rules`);
});

test('every catalog rule is registered with its default severity and scope, and nothing else is', { skip: !existsSync(CATALOG) && !process.env.CI ? 'catalog not found' : false }, () => {
  const rows = parseCatalog(readFileSync(CATALOG, 'utf8'));
  const byId = new Map(RULES.map((r) => [r.id, r]));
  for (const row of rows) {
    const r = byId.get(row.id);
    assert.ok(r, `catalog rule ${row.id} (§${row.section}) is not registered`);
    assert.equal(r.severity, row.severity, `${row.id}: default severity`);
    assert.equal(r.scope, row.scope, `${row.id}: scope`);
  }
  const ids = new Set(rows.map((r) => r.id));
  for (const r of RULES) assert.ok(ids.has(r.id), `${r.id} is registered but not in the catalog`);
  assert.equal(RULES.length, rows.length);
  assert.equal(new Set(RULES.map((r) => r.id)).size, RULES.length, 'duplicate rule ids');
});

test('packet-scope rules are the catalog\'s packet rules; the others run on the correlator', { skip: !existsSync(CATALOG) && !process.env.CI ? 'catalog not found' : false }, () => {
  const rows = parseCatalog(readFileSync(CATALOG, 'utf8'));
  const packet = new Set(rows.filter((r) => r.scope === 'packet').map((r) => r.id));
  assert.deepEqual(new Set(PACKET_RULES.map((r) => r.id)), packet);
  for (const r of SESSION_RULES) assert.ok(!packet.has(r.id), `${r.id} is a packet rule in the catalog`);
});

test('every packet-scope rule is raised by a registered expert item with its severity', () => {
  const experts = allExperts();
  for (const r of PACKET_RULES) {
    const items = experts.filter((e) => e.rule === r.id);
    assert.ok(items.length > 0, `no dissector expert item reports ${r.id} (expected abbrev gretool.lint.${r.id})`);
    assert.ok(items.some((e) => e.abbrev === `gretool.lint.${r.id}`), `${r.id}: no expert item named gretool.lint.${r.id}`);
    const sevs = new Set(items.map((e) => severityOfExpert(e.severity)));
    if (r.variableSeverity) assert.ok(sevs.has(r.severity), `${r.id}: no expert item at the default severity ${r.severity}`);
    else assert.deepEqual([...sevs], [r.severity], `${r.id}: expert severity ${[...sevs].join('/')} differs from the catalog's ${r.severity}`);
  }
});

test('every expert item that carries a rule id names a packet-scope catalog rule', () => {
  const packet = new Set(PACKET_RULES.map((r) => r.id));
  for (const e of allExperts()) {
    if (e.rule === undefined) continue;
    assert.ok(packet.has(e.rule), `expert ${e.abbrev} reports unknown or non-packet rule ${e.rule}`);
  }
});

test('every pair/session rule is one file src/lint/rules/<ID>.ts listed in rules/index.ts', () => {
  const dir = join(ROOT, 'src', 'lint', 'rules');
  const files = readdirSync(dir).filter((f) => /^[A-Z]-.*\.ts$/.test(f)).map((f) => f.slice(0, -3)).sort();
  assert.deepEqual(files, SESSION_RULES.map((r) => r.id).sort());
  for (const r of SESSION_RULES) {
    const src = readFileSync(join(dir, `${r.id}.ts`), 'utf8');
    assert.ok(src.includes(`id: '${r.id}'`), `${r.id}.ts does not define ${r.id}`);
  }
});

test('every rule has its RFC sections, a one-line summary, an explanation and a fix', () => {
  for (const r of RULES) {
    assert.ok(r.refs.length > 0, `${r.id}: no specification reference`);
    for (const ref of r.refs) assert.ok([768, 1701, 2460, 2784, 2890, 4283, 5213, 5555, 5648, 5844, 5845, 5847, 6275, 6602].includes(ref.rfc), `${r.id}: RFC ${ref.rfc}`);
    assert.ok(r.summary.length > 10 && !r.summary.includes('\n') && !r.summary.endsWith('.'), `${r.id}: summary`);
    assert.ok(r.explanation.length > 40, `${r.id}: explanation`);
    assert.ok(r.fix.length > 5, `${r.id}: fix`);
  }
});

test('docs/lint.md is the current rule reference (regenerate: gretool lint --list-rules --format markdown > docs/lint.md)', () => {
  const doc = readFileSync(join(ROOT, 'docs', 'lint.md'), 'utf8');
  assert.equal(doc, rulesMarkdown());
});
