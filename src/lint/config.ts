/**
 * Lint policy: which rules run, at which severity, and the verdict threshold (--fail-on). The
 * same settings come from the command line and from a config file (`.gretool.json` in the
 * current directory, or `--config FILE`), so a test lab can commit its policy:
 *
 *   { "lint": { "failOn": "warning",
 *               "disable": ["P-BU-RESERVED-FLAGS", "G-*"],
 *               "enable": ["G-CKSUM-BAD"],
 *               "severity": { "S-DUP-DL-KEY": "error" } } }
 *
 * Order: defaults, then the file's disable / enable / severity, then the command line's
 * --disable / --enable / --severity (so the command line wins), --fail-on from the command line
 * over the file over "error". Rule ids are the catalog's (case-insensitive; `*` matches any
 * run of characters). An id or pattern that names no rule is a usage error (exit 2).
 */
import { existsSync, readFileSync, statSync } from 'node:fs';
import { resolve } from 'node:path';
import { UsageError } from '../errors.js';
import { RULES } from './rules/index.js';
import { SEVERITIES, type Rule, type Severity } from './rule.js';

export type FailOn = Severity | 'none';
export const FAIL_ON: readonly FailOn[] = ['error', 'warning', 'info', 'none'];

/** The policy as written (command line or file). */
export interface LintPolicy {
  failOn?: FailOn;
  disable?: readonly string[];
  enable?: readonly string[];
  /** Rule id or pattern → severity. */
  severity?: Readonly<Record<string, Severity>>;
}

/** The policy applied to the rule list. */
export interface ResolvedPolicy {
  failOn: FailOn;
  /** Per rule (index into RULES): enabled. */
  enabled: boolean[];
  /** Per rule: the user's severity override, or null for the rule's own. */
  severity: (Severity | null)[];
  /** The config file that was read, if any. */
  configFile: string | null;
}

export const CONFIG_FILE_NAME = '.gretool.json';

const BY_ID = new Map<string, number>(RULES.map((r, i) => [r.id, i]));

export function ruleById(id: string): Rule | undefined {
  const i = BY_ID.get(id.toUpperCase());
  return i === undefined ? undefined : RULES[i];
}

export function ruleIndex(id: string): number {
  return BY_ID.get(id.toUpperCase()) ?? -1;
}

function distance(a: string, b: string): number {
  const m = a.length;
  const n = b.length;
  let prev = Array.from({ length: n + 1 }, (_, j) => j);
  for (let i = 1; i <= m; i++) {
    const cur = [i];
    for (let j = 1; j <= n; j++) cur[j] = Math.min(prev[j]! + 1, cur[j - 1]! + 1, prev[j - 1]! + (a[i - 1] === b[j - 1] ? 0 : 1));
    prev = cur;
  }
  return prev[n]!;
}

/** Indexes of the rules a rule id or `*` pattern names; throws a UsageError naming `where` when none. */
export function matchRules(pattern: string, where: string): number[] {
  const p = pattern.trim().toUpperCase();
  if (p === '') throw new UsageError(`${where}: empty rule id`);
  if (!p.includes('*')) {
    const i = BY_ID.get(p);
    if (i !== undefined) return [i];
    const near = RULES.map((r) => [r.id, distance(r.id, p)] as const)
      .filter(([, d]) => d <= 3)
      .sort((a, b) => a[1] - b[1])
      .slice(0, 3)
      .map(([id]) => id);
    throw new UsageError(`${where}: unknown rule id "${pattern}"${near.length ? ` (did you mean ${near.join(', ')}?)` : ''}; see gretool lint --list-rules`);
  }
  const re = new RegExp('^' + p.split('*').map((s) => s.replace(/[.+?^${}()|[\]\\-]/g, '\\$&')).join('.*') + '$');
  const out: number[] = [];
  RULES.forEach((r, i) => {
    if (re.test(r.id)) out.push(i);
  });
  if (out.length === 0) throw new UsageError(`${where}: pattern "${pattern}" matches no rule id; see gretool lint --list-rules`);
  return out;
}

export function parseSeverity(s: string, where: string): Severity {
  const v = s.trim().toLowerCase();
  if ((SEVERITIES as readonly string[]).includes(v)) return v as Severity;
  throw new UsageError(`${where}: severity must be one of ${SEVERITIES.join(', ')}, got "${s}"`);
}

export function parseFailOn(s: string, where: string): FailOn {
  const v = s.trim().toLowerCase();
  if ((FAIL_ON as readonly string[]).includes(v)) return v as FailOn;
  throw new UsageError(`${where}: must be one of ${FAIL_ON.join(', ')}, got "${s}"`);
}

/** `RULE=LEVEL` (several may be comma-separated). */
export function parseSeverityAssignments(list: readonly string[], where = '--severity'): Record<string, Severity> {
  const out: Record<string, Severity> = {};
  for (const item of list.flatMap(splitList)) {
    const eq = item.indexOf('=');
    if (eq <= 0) throw new UsageError(`${where}: expected RULE=LEVEL, got "${item}"`);
    out[item.slice(0, eq).trim()] = parseSeverity(item.slice(eq + 1), `${where} ${item}`);
  }
  return out;
}

/** Splits "A,B C" style lists (commas or whitespace). */
export function splitList(s: string): string[] {
  return s.split(/[,\s]+/).filter((x) => x.length > 0);
}

const POLICY_KEYS = ['failOn', 'disable', 'enable', 'severity'] as const;

/** Reads and checks the "lint" section of a config file (a missing section is an empty policy). */
export function loadConfigFile(path: string): LintPolicy {
  let text: string;
  try {
    text = readFileSync(path, 'utf8');
  } catch (e) {
    throw new UsageError(`cannot read config file ${path}: ${(e as Error).message}`);
  }
  let json: unknown;
  try {
    json = JSON.parse(text);
  } catch (e) {
    throw new UsageError(`config file ${path} is not valid JSON: ${(e as Error).message}`);
  }
  if (typeof json !== 'object' || json === null || Array.isArray(json)) throw new UsageError(`config file ${path}: expected a JSON object`);
  const top = json as Record<string, unknown>;
  // other sections are left to whoever reads them; a policy key at the top level is a policy
  // that would silently not apply
  const misplaced = Object.keys(top).filter((k) => (POLICY_KEYS as readonly string[]).includes(k));
  if (misplaced.length) {
    throw new UsageError(`config file ${path}: "${misplaced.join('", "')}" belong${misplaced.length === 1 ? 's' : ''} in the "lint" section: {"lint": {"${misplaced[0]}": …}}`);
  }
  const lint = top.lint;
  if (lint === undefined) return {};
  const where = `config file ${path}: lint`;
  if (typeof lint !== 'object' || lint === null || Array.isArray(lint)) throw new UsageError(`${where}: expected an object`);
  const o = lint as Record<string, unknown>;
  for (const k of Object.keys(o)) {
    if (!(POLICY_KEYS as readonly string[]).includes(k)) throw new UsageError(`${where}: unknown key "${k}" (expected ${POLICY_KEYS.join(', ')})`);
  }
  const policy: LintPolicy = {};
  if (o.failOn !== undefined) {
    if (typeof o.failOn !== 'string') throw new UsageError(`${where}.failOn: expected a string`);
    policy.failOn = parseFailOn(o.failOn, `${where}.failOn`);
  }
  for (const key of ['disable', 'enable'] as const) {
    const v = o[key];
    if (v === undefined) continue;
    if (!Array.isArray(v) || !v.every((x) => typeof x === 'string')) throw new UsageError(`${where}.${key}: expected an array of rule ids`);
    policy[key] = v as string[];
  }
  if (o.severity !== undefined) {
    const v = o.severity;
    if (typeof v !== 'object' || v === null || Array.isArray(v)) throw new UsageError(`${where}.severity: expected an object {"RULE": "error|warning|info"}`);
    const sev: Record<string, Severity> = {};
    for (const [id, lvl] of Object.entries(v as Record<string, unknown>)) {
      if (typeof lvl !== 'string') throw new UsageError(`${where}.severity.${id}: expected a string`);
      sev[id] = parseSeverity(lvl, `${where}.severity.${id}`);
    }
    policy.severity = sev;
  }
  return policy;
}

export interface ResolveOptions {
  /** Explicit config file (--config); it must exist. */
  configFile?: string;
  /** Ignore `.gretool.json` (--no-config). */
  noConfig?: boolean;
  /** Directory searched for `.gretool.json` (default: the current directory). */
  cwd?: string;
  /** Command-line policy (applied after the file's). */
  cli?: LintPolicy;
}

function apply(p: LintPolicy, out: ResolvedPolicy, file: string | null): void {
  const where = (k: string) => (file === null ? `--${k}` : `config file ${file}: lint.${k}`);
  for (const id of (p.disable ?? []).flatMap(splitList)) for (const i of matchRules(id, where('disable'))) out.enabled[i] = false;
  for (const id of (p.enable ?? []).flatMap(splitList)) for (const i of matchRules(id, where('enable'))) out.enabled[i] = true;
  for (const [id, sev] of Object.entries(p.severity ?? {})) for (const i of matchRules(id, where('severity'))) out.severity[i] = sev;
}

/** Resolves the policy from defaults, the config file and the command line. Throws UsageError. */
export function resolvePolicy(o: ResolveOptions = {}): ResolvedPolicy {
  const out: ResolvedPolicy = { failOn: 'error', enabled: RULES.map(() => true), severity: RULES.map(() => null), configFile: null };
  let file: string | null = null;
  if (o.configFile !== undefined) {
    file = resolve(o.cwd ?? process.cwd(), o.configFile);
    if (!existsSync(file)) throw new UsageError(`config file ${o.configFile} does not exist`);
  } else if (!o.noConfig) {
    const f = resolve(o.cwd ?? process.cwd(), CONFIG_FILE_NAME);
    if (existsSync(f) && statSync(f).isFile()) file = f;
  }
  if (file !== null) {
    const p = loadConfigFile(file);
    apply(p, out, file);
    if (p.failOn !== undefined) out.failOn = p.failOn;
    out.configFile = file;
  }
  if (o.cli) {
    apply(o.cli, out, null);
    if (o.cli.failOn !== undefined) out.failOn = o.cli.failOn;
  }
  return out;
}

/** The severity a finding of rule `i` gets: the user's override, else the detected one. */
export function effectiveSeverity(policy: ResolvedPolicy, i: number, detected: Severity): Severity {
  return policy.severity[i] ?? detected;
}

/** True when a finding of this severity fails the run under --fail-on. */
export function fails(sev: Severity, failOn: FailOn): boolean {
  if (failOn === 'none') return false;
  const rank = { info: 1, warning: 2, error: 3 } as const;
  return rank[sev] >= rank[failOn];
}
