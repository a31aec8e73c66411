/**
 * Filter errors: a GretoolError('FILTER') whose message shows the filter with a caret under the
 * offending span, as tshark does:
 *
 *   filter: "gre.kee" is not a valid protocol or field
 *     gre.kee == 1
 *     ^~~~~~~
 */
import { GretoolError } from '../errors.js';

export class FilterError extends GretoolError {
  /** The filter text. */
  readonly filter: string;
  /** The problem alone, without the caret lines. */
  readonly reason: string;
  /** Span of the problem in the filter text: [start, end), in UTF-16 code units. */
  readonly start: number;
  readonly end: number;

  constructor(filter: string, reason: string, start: number, end: number) {
    super('FILTER', formatFilterError(filter, reason, start, end));
    this.name = 'FilterError';
    this.filter = filter;
    this.reason = reason;
    this.start = start;
    this.end = end;
  }
}

/** "filter: reason\n  <filter>\n  <spaces>^~~~" (tabs and newlines shown as spaces so the caret lines up). */
export function formatFilterError(filter: string, reason: string, start: number, end: number): string {
  const shown = filter.replace(/[\t\n\r\v\f]/g, ' ');
  const s = Math.max(0, Math.min(start, shown.length));
  const e = Math.max(s + 1, Math.min(end, shown.length));
  const caret = ' '.repeat(s) + '^' + '~'.repeat(Math.max(0, e - s - 1));
  return `filter: ${reason}\n  ${shown}\n  ${caret}`;
}

/** Throws a FilterError; typed `never` so callers can `return fail(...)`. */
export function fail(filter: string, reason: string, start: number, end: number): never {
  throw new FilterError(filter, reason, start, end);
}
