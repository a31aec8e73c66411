/**
 * The lint policy: rule ids and patterns, the config file (`.gretool.json` or --config), the
 * order in which file and command line apply, and the errors (usage errors, exit 2) for unknown
 * ids, bad severities and malformed files.
 */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { mkdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { fails, matchRules, parseSeverityAssignments, resolvePolicy } from '../../src/lint/config.js';
import { RULES } from '../../src/lint/rules/index.js';
import { UsageError } from '../../src/errors.js';
import { tempDir } from '../helpers/cli.js';

const idx = (id: string) => RULES.findIndex((r) => r.id === id);

test('rule ids are case-insensitive; * patterns match runs of characters', () => {
  assert.deepEqual(matchRules('p-grekey-bad-len', 'x'), [idx('P-GREKEY-BAD-LEN')]);
  const g = matchRules('G-*', 'x').map((i) => RULES[i]!.id);
  assert.deepEqual(g, RULES.filter((r) => r.id.startsWith('G-')).map((r) => r.id));
  assert.ok(matchRules('*-TLV-*', 'x').length >= 5);
});

test('unknown ids and empty patterns are usage errors that say where and suggest', () => {
  assert.throws(() => matchRules('P-GREKEY-BAD-LENN', '--disable'), (e: unknown) => e instanceof UsageError && /--disable: unknown rule id "P-GREKEY-BAD-LENN" \(did you mean P-GREKEY-BAD-LEN/.test(e.message));
  assert.throws(() => matchRules('X-*', '--enable'), /pattern "X-\*" matches no rule id/);
  assert.throws(() => resolvePolicy({ noConfig: true, cli: { severity: { 'NOPE': 'error' } } }), /--severity: unknown rule id "NOPE"/);
  assert.throws(() => parseSeverityAssignments(['P-GREKEY-BAD-LEN']), /expected RULE=LEVEL/);
  assert.throws(() => parseSeverityAssignments(['P-GREKEY-BAD-LEN=fatal']), /severity must be one of error, warning, info/);
});

test('.gretool.json in the current directory; the command line applies after it', () => {
  const dir = tempDir('gretool-lint-policy-');
  writeFileSync(join(dir, '.gretool.json'), JSON.stringify({ other: { ignored: true }, lint: { failOn: 'warning', disable: ['G-*'], enable: ['G-CKSUM-BAD'], severity: { 'S-DUP-DL-KEY': 'error' } } }));
  const p = resolvePolicy({ cwd: dir });
  assert.equal(p.configFile, join(dir, '.gretool.json'));
  assert.equal(p.failOn, 'warning');
  assert.equal(p.enabled[idx('G-VERSION-NONZERO')], false);
  assert.equal(p.enabled[idx('G-CKSUM-BAD')], true);
  assert.equal(p.severity[idx('S-DUP-DL-KEY')], 'error');
  const q = resolvePolicy({ cwd: dir, cli: { failOn: 'none', enable: ['G-VERSION-NONZERO'], disable: ['G-CKSUM-BAD'], severity: { 'S-DUP-DL-KEY': 'info' } } });
  assert.equal(q.failOn, 'none');
  assert.equal(q.enabled[idx('G-VERSION-NONZERO')], true);
  assert.equal(q.enabled[idx('G-CKSUM-BAD')], false);
  assert.equal(q.severity[idx('S-DUP-DL-KEY')], 'info');
  // --no-config
  const n = resolvePolicy({ cwd: dir, noConfig: true });
  assert.equal(n.configFile, null);
  assert.equal(n.failOn, 'error');
  assert.ok(n.enabled.every(Boolean));
});

test('--config FILE must exist and be a valid policy', () => {
  const dir = tempDir('gretool-lint-policy-');
  assert.throws(() => resolvePolicy({ cwd: dir, configFile: 'missing.json' }), /config file missing\.json does not exist/);
  const bad = (name: string, text: string, re: RegExp) => {
    writeFileSync(join(dir, name), text);
    assert.throws(() => resolvePolicy({ cwd: dir, configFile: name }), (e: unknown) => e instanceof UsageError && re.test(e.message), name);
  };
  bad('a.json', '{ nope', /is not valid JSON/);
  bad('b.json', '[]', /expected a JSON object/);
  bad('c.json', '{"lint": {"failon": "error"}}', /unknown key "failon"/);
  bad('d.json', '{"lint": {"disable": "G-*"}}', /lint\.disable: expected an array/);
  bad('e.json', '{"lint": {"disable": ["G-NOPE"]}}', /lint\.disable: unknown rule id "G-NOPE"/);
  bad('f.json', '{"lint": {"severity": {"G-CKSUM-BAD": "fatal"}}}', /severity must be one of/);
  bad('g.json', '{"lint": {"failOn": "sometimes"}}', /failOn: must be one of error, warning, info, none/);
  // a policy outside its section would silently not apply
  bad('h.json', '{"disable": ["P-PADN-NONZERO"], "failOn": "warning"}', /"disable", "failOn" belong in the "lint" section: \{"lint": \{"disable": …\}\}/);
  bad('i.json', '{"severity": {}, "lint": {}}', /"severity" belongs in the "lint" section/);
  mkdirSync(join(dir, 'sub'));
  writeFileSync(join(dir, 'sub', 'ok.json'), '{"lint": {"failOn": "info"}}');
  assert.equal(resolvePolicy({ cwd: dir, configFile: 'sub/ok.json' }).failOn, 'info');
});

test('--fail-on thresholds', () => {
  assert.equal(fails('error', 'error'), true);
  assert.equal(fails('warning', 'error'), false);
  assert.equal(fails('warning', 'warning'), true);
  assert.equal(fails('info', 'warning'), false);
  assert.equal(fails('info', 'info'), true);
  assert.equal(fails('error', 'none'), false);
});
