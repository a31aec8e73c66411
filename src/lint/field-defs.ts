/**
 * The declaration of the lint fields (`gretool.lint`, `gretool.lint.rule`,
 * `gretool.lint.severity`), apart from the post-dissector that fills them (fields.ts, which
 * loads the rule catalog): every command registers these cheaply, so filters, `-e`, the
 * glossary and ek names know them whichever command runs (src/cli/commands/index.ts).
 */
import { defineFields } from '../engine/fields.js';

export const LINT_FIELDS = defineFields({
  proto: {
    abbrev: 'gretool.lint', name: 'gretool lint findings', type: 'protocol', wireshark: false,
    description: 'Generated: the packet-scope lint findings of this frame (see gretool lint --list-rules)',
  },
  rule: {
    abbrev: 'gretool.lint.rule', name: 'Rule', type: 'string', wireshark: false,
    description: 'Id of a packet-scope lint rule this frame breaks (shared/spec/lint-rules.md), e.g. P-GREKEY-BAD-LEN',
  },
  severity: {
    abbrev: 'gretool.lint.severity', name: 'Severity', type: 'string', wireshark: false,
    description: 'Severity of the finding: error, warning or info',
  },
});
