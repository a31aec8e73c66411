import type { ErrorCode } from '../errors.js';

/** The one exit-code table (documented in --help and the README). */
export const EXIT = {
  OK: 0,
  LINT_FINDINGS: 1,
  USAGE: 2,
  INPUT: 3,
  OUTPUT: 4,
  /** A bug in gretool (never bad input): one line on stderr, --debug shows the stack. */
  INTERNAL: 70,
} as const;

export const EXIT_CODE_OF: Record<ErrorCode, number> = {
  USAGE: EXIT.USAGE,
  FILTER: EXIT.USAGE,
  UNKNOWN_FIELD: EXIT.USAGE,
  SCENARIO: EXIT.USAGE,
  CAPTURE_OPEN: EXIT.INPUT,
  CAPTURE_FORMAT: EXIT.INPUT,
  CAPTURE_TRUNCATED: EXIT.INPUT,
  CAPTURE_CORRUPT: EXIT.INPUT,
  OUTPUT: EXIT.OUTPUT,
};

export const EXIT_CODES_HELP = `Exit codes:
  0  success (malformed packets are data, not failure)
  1  lint found problems at or above --fail-on
  2  usage error: bad option, bad filter, unknown field, invalid scenario file
  3  input error: cannot open, not a capture, file cut mid-record (after output of what was read)
  4  output error
  70 internal error (a bug in gretool; --debug shows the stack)`;
