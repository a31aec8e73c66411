/**
 * Lint findings as filterable fields of a dissected frame: a post-dissector adds, at the end of
 * the tree, a generated "gretool.lint" node with one `gretool.lint.rule` (string) per
 * packet-scope finding of the frame (the dissectors' expert items that carry a rule id), each
 * with its `gretool.lint.severity`. So `gretool dissect -Y 'gretool.lint.rule == "P-GREKEY-BAD-LEN"'`
 * and `-T fields -e gretool.lint.rule` work. Pair/session findings need the whole capture and
 * are reported by `gretool lint`, not here.
 *
 *   attachLintFields(pipeline);                       // all packet rules
 *   attachLintFields(pipeline, { policy });           // honour --disable / --severity
 */
import { allExperts, expertDef } from '../engine/expert.js';
import { GENERATED, type Packet } from '../engine/packet.js';
import type { Pipeline, PostDissector } from '../engine/pipeline.js';
import type { ResolvedPolicy } from './config.js';
import { LINT_FIELDS } from './field-defs.js';
import { RULES } from './rules/index.js';
import { severityOfExpert, type Severity } from './rule.js';

export { LINT_FIELDS };

export interface LintFieldsOptions {
  policy?: ResolvedPolicy;
}

/** Adds the lint-field post-dissector to `pipeline`. */
export function attachLintFields(pipeline: Pipeline, opts: LintFieldsOptions = {}): void {
  pipeline.addPostDissector(lintFieldsPostDissector(opts));
}

/** The post-dissector itself (for APIs that take post-dissectors, e.g. dissectCapture's `postDissectors`). */
export function lintFieldsPostDissector(opts: LintFieldsOptions = {}): PostDissector {
  const index = new Map(RULES.map((r, i) => [r.id, i]));
  let ruleOf = new Int16Array(0);
  let sevOf: Severity[] = [];
  const build = (): void => {
    const defs = allExperts();
    ruleOf = new Int16Array(defs.length).fill(-1);
    sevOf = new Array<Severity>(defs.length);
    for (const d of defs) {
      if (d.rule === undefined) continue;
      const ri = index.get(d.rule);
      if (ri === undefined || (opts.policy && !opts.policy.enabled[ri])) continue;
      const rule = RULES[ri]!;
      ruleOf[d.id] = ri;
      const detected = rule.detection === 'expert' && rule.variableSeverity ? severityOfExpert(d.severity) : rule.severity;
      sevOf[d.id] = opts.policy?.severity[ri] ?? detected;
    }
  };
  build();
  return (p: Packet) => {
    const ex = p.experts;
    const n = ex.count;
    if (n === 0) return;
    let root = -1;
    for (let i = 0; i < n; i++) {
      const id = ex.id[i]!;
      if (id >= ruleOf.length) build();
      const ri = ruleOf[id]!;
      if (ri < 0) continue;
      if (root < 0) root = p.add(LINT_FIELDS.proto, -1, 0, -1, GENERATED);
      const node = p.addStr(LINT_FIELDS.rule, -1, 0, root, RULES[ri]!.id, GENERATED);
      p.addStr(LINT_FIELDS.severity, -1, 0, node, sevOf[id]!, GENERATED);
    }
  };
}

/** The rule id an expert item reports, when it is a known lint rule. */
export function ruleOfExpert(expertId: number): string | undefined {
  const r = expertDef(expertId).rule;
  return r !== undefined && RULES.some((x) => x.id === r) ? r : undefined;
}
