/**
 * Typed errors for everything outside a frame. Each carries a literal `code`; the CLI maps codes
 * to exit codes in one table (src/cli/exit-codes.ts). Malformed packets are never errors: they
 * are expert items on the frame.
 */
export type ErrorCode =
  | 'USAGE'            // bad option, bad argument
  | 'FILTER'           // display-filter syntax / type error
  | 'UNKNOWN_FIELD'    // -e or filter names a field that does not exist
  | 'SCENARIO'         // invalid scenario file
  | 'CAPTURE_OPEN'     // cannot open / read the input
  | 'CAPTURE_FORMAT'   // not a capture, unsupported version, empty file
  | 'CAPTURE_TRUNCATED' // file cut mid-record (after what was read was delivered)
  | 'CAPTURE_CORRUPT'  // impossible record length, block length disagreement
  | 'OUTPUT';          // cannot write output

export class GretoolError extends Error {
  readonly code: ErrorCode;
  constructor(code: ErrorCode, message: string, options?: { cause?: unknown }) {
    super(message, options);
    this.code = code;
    this.name = 'GretoolError';
  }
}

export class UsageError extends GretoolError {
  constructor(message: string) {
    super('USAGE', message);
    this.name = 'UsageError';
  }
}

export class OutputError extends GretoolError {
  constructor(message: string, options?: { cause?: unknown }) {
    super('OUTPUT', message, options);
    this.name = 'OutputError';
  }
}
