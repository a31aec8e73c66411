/**
 * Display filters: Wireshark 4.0's display-filter language over gretool's field registry.
 *
 *   const f = compileFilter('gre.key == 0x1001 && ip.src == 10.0.0.0/8');
 *   if (f.matches(packet)) ...
 *
 * compileFilter() parses, checks against the registry (so call it after the dissectors, and
 * any session or lint fields, are registered) and compiles to closures once; matches() then
 * allocates nothing per frame for the common cases. Errors are GretoolError('FILTER') (a
 * FilterError, with the span) whose message shows the filter with a caret under the problem.
 * src/filter/README.md lists the supported language and its differences from
 * Wireshark.
 */
import type { Packet } from '../engine/packet.js';
import { GretoolError } from '../errors.js';
import { checkFilter } from './check.js';
import { compileTest } from './compile.js';
import { FilterError } from './errors.js';
import { parseFilter } from './parser.js';
import { needlesOf } from './prefilter.js';

export { FilterError, formatFilterError } from './errors.js';
export { NeedleScan } from './prefilter.js';

export interface DisplayFilter {
  /** The filter as given. */
  readonly text: string;
  /** True when the dissected frame matches. */
  matches(p: Packet): boolean;
  /** Ids of the fields (and protocols) the filter references, in order of first use. */
  readonly fields: readonly number[];
  /**
   * Byte strings of which every matching frame holds at least one (src/filter/prefilter.ts),
   * or null: a frame holding none of them can be skipped without dissection.
   */
  readonly needles?: readonly Uint8Array[] | null;
}

/** Compiles a display filter; throws GretoolError('FILTER') with a caret message. */
export function compileFilter(text: string): DisplayFilter {
  try {
    const ast = parseFilter(text);
    const { test, fields } = checkFilter(text, ast);
    const matches = compileTest(test);
    return { text, matches, fields: Object.freeze(fields), needles: needlesOf(test) };
  } catch (e) {
    if (e instanceof GretoolError) throw e;
    // a bug in the filter engine must still surface as a filter error, never as a crash
    const msg = e instanceof Error ? e.message : String(e);
    throw new FilterError(text, `internal error while compiling the filter: ${msg}`, 0, text.length);
  }
}

/** A filter that matches every frame (what an empty filter compiles to). */
/**
 * Compiles display-filter text (the library's name for compileFilter). Throws a
 * GretoolError('FILTER') whose message shows the filter with a caret under the problem.
 */
export const compileDisplayFilter: (text: string) => DisplayFilter = compileFilter;

export const MATCH_ALL: DisplayFilter = Object.freeze({ text: '', matches: () => true, fields: Object.freeze([]), needles: null });
