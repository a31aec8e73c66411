/**
 * What a `gretool dissect` run prints and what it must dissect for that, shared by the command
 * (src/cli/commands/dissect.ts) and its worker threads (dissect-worker.ts). A RenderSpec is
 * plain data (it crosses to the workers); each side builds its own Renderer and hooks from it,
 * so a worker prints a frame byte for byte as the command would.
 */
import type { Packet } from '../../engine/packet.js';
import type { TextBuf } from '../../engine/textbuf.js';
import { fieldByName, unionWant, wantMask } from '../../engine/fields.js';
import type { PostDissector } from '../../engine/pipeline.js';
import type { CaptureInfo } from '../../capture/types.js';
import type { DisplayFilter } from '../../filter/index.js';
import { SummaryWriter, type SummaryColors } from '../../output/summary.js';
import { FastSummary } from '../../output/fastsummary.js';
import { DetailWriter } from '../../output/detail.js';
import { writeHexDump } from '../../output/hexdump.js';
import { FieldsWriter, parseFieldsOptions, resolveFields } from '../../output/fields.js';
import { EkWriter, JsonWriter } from '../../output/json.js';
import { TimeColumn, precisionTable, type TimeFormat } from '../../output/timefmt.js';
import type { Materialise } from '../../output/dissect.js';
import type { SessionHook } from '../../sessions/attach.js';
import { SESSION_FIELDS } from '../../sessions/fields.js';
import { LINT_FIELDS } from '../../lint/field-defs.js';

export type OutFormat = 'text' | 'fields' | 'json' | 'ek';

/** The output of a run, as plain data. */
export interface RenderSpec {
  format: OutFormat;
  /** -e field names. */
  fields: string[];
  /** -E options. */
  fieldsOptions: string[];
  timeFormat: TimeFormat;
  /** Summary lines (default output, or -P). */
  summary: boolean;
  /** -V. */
  detail: boolean;
  /** -x. */
  hex: boolean;
  /** Anything printed at all (false for a plain -w run). */
  text: boolean;
  /** Summary and expert colours (escape sequences), or null. */
  colors: SummaryColors | null;
}

/** The writers of a run: prints one frame in the run's format. */
export class Renderer {
  readonly time: TimeColumn;
  readonly fieldIds: number[];
  private readonly summary: SummaryWriter;
  private readonly detail: DetailWriter | null;
  private readonly fieldsWriter: FieldsWriter | null;
  private readonly json: JsonWriter | null;
  private readonly ek: EkWriter | null;

  constructor(readonly spec: RenderSpec) {
    this.fieldIds = spec.fields.length ? resolveFields(spec.fields) : [];
    const deltaFid = fieldByName('frame.time_delta')?.id ?? -1;
    this.time = new TimeColumn(spec.timeFormat, [6], deltaFid);
    this.summary = new SummaryWriter(this.time, spec.colors);
    this.detail = spec.detail ? new DetailWriter({ hexForData: !spec.hex, colors: spec.colors }) : null;
    const ids = this.fieldIds;
    this.fieldsWriter = spec.format === 'fields' ? new FieldsWriter(ids, parseFieldsOptions(spec.fieldsOptions)) : null;
    this.json = spec.format === 'json' ? new JsonWriter(ids.length ? { fields: ids } : {}) : null;
    this.ek = spec.format === 'ek' ? new EkWriter(ids.length ? { fields: ids } : {}) : null;
  }

  /** Follows the capture's timestamp precision (per interface, as interfaces appear). */
  setPrecision(info: CaptureInfo): void {
    const d = precisionTable(info);
    for (let i = 0; i < d.length; i++) this.time.digits[i] = d[i]!;
  }

  /** What comes before the first frame (the -T fields header, json's "["). */
  begin(out: TextBuf): void {
    if (!this.spec.text) return;
    this.fieldsWriter?.begin(out);
    this.json?.begin(out);
  }

  /** Appends the output of one frame. */
  frame(out: TextBuf, p: Packet): void {
    switch (this.spec.format) {
      case 'text': {
        const hex = this.spec.hex;
        if (this.spec.summary) this.summary.write(out, p);
        if (this.detail !== null) {
          this.detail.write(out, p);
          if (!hex) out.byte(10);
        }
        if (hex) {
          if (this.spec.summary || this.detail !== null) out.byte(10);
          writeHexDump(out, p.data, p.base, p.caplen);
          out.byte(10);
        }
        break;
      }
      case 'fields':
        this.fieldsWriter!.write(out, p);
        break;
      case 'json':
        this.json!.frame(out, p);
        break;
      case 'ek':
        this.ek!.frame(out, p);
        break;
    }
  }

  /** What comes after the last frame (json's "]"). */
  end(out: TextBuf): void {
    if (this.spec.text) this.json?.end(out);
  }
}

/** Ids of the session correlator's and the linter's generated fields (their protocols included). */
const SESSION_IDS: ReadonlySet<number> = new Set(Object.values(SESSION_FIELDS));
const LINT_IDS: ReadonlySet<number> = new Set(Object.values(LINT_FIELDS));

/**
 * Which producers of generated fields a run needs: both when it shows the whole tree, else the
 * session correlator when `ids` (the -e fields and the filter's fields, as resolved by the
 * registry) hold a `gretool.session*` / `gretool.direction` / `gretool.pair.*` field (or the
 * `gretool` protocol), and the lint fields when they hold a `gretool.lint*` one.
 */
export function generatedFieldsNeeded(wholeTree: boolean, ids: Iterable<number>): { sessions: boolean; lint: boolean } {
  let sessions = wholeTree;
  let lint = wholeTree;
  for (const id of ids) {
    if (SESSION_IDS.has(id)) sessions = true;
    else if (LINT_IDS.has(id)) lint = true;
  }
  return { sessions, lint };
}

/** What a run dissects, and the post-dissectors that add the generated fields it shows. */
export interface RunPlan {
  /** For dissectCapture's `materialise`. */
  materialise: { first?: Materialise; output: Materialise };
  hooks: PostDissector[];
  /** The session correlator's hook when the run shows session fields. */
  session: SessionHook | null;
}

/**
 * Decides what to materialise (only what the output shows: the summary needs the columns but no
 * field; -T fields its -e fields; -x alone and -w nothing; -V, json and ek the whole tree) and
 * creates the hooks for the generated fields the run shows. With -Y, frames are first dissected
 * with just the filter's fields (and the -e fields), and a frame that matches is dissected again
 * when the output needs more (see dissectCapture's `materialise`).
 */
export async function planRun(r: Renderer, filter: DisplayFilter | undefined, twoPass: boolean): Promise<RunPlan> {
  const spec = r.spec;
  const fieldIds = r.fieldIds;
  let output: Materialise;
  if (!spec.text) output = { want: wantMask([]), columns: false };
  else if (spec.format === 'fields') output = { want: wantMask(fieldIds), columns: false };
  else if (spec.format === 'json' || spec.format === 'ek' || spec.detail) output = { want: null, columns: spec.format === 'text' && spec.summary };
  else output = { want: wantMask([]), columns: spec.summary };

  // The whole tree shows the generated fields; otherwise only a -e field or the filter naming
  // one of them (by field id: the registry's declarations, not the user's text) turns them on.
  const wholeTree = spec.text && (spec.detail || ((spec.format === 'json' || spec.format === 'ek') && fieldIds.length === 0));
  const need = generatedFieldsNeeded(wholeTree, [...(spec.text ? fieldIds : []), ...(filter?.fields ?? [])]);
  const printed = output; // what the output itself shows
  const hooks: PostDissector[] = [];
  let session: SessionHook | null = null;
  if (need.sessions) {
    const [{ createSessionHook }, { extractorWant }] = await Promise.all([import('../../sessions/attach.js'), import('../../sessions/extract.js')]);
    session = createSessionHook({ twoPass });
    hooks.push(session.postDissector);
    // the Extractor reads its fields from every frame: the output's mask gets them too (the
    // generated fields themselves are in it when -e names them, and in the filter's mask)
    output = { want: unionWant(output.want, extractorWant()), columns: output.columns };
  }
  if (need.lint) {
    const [{ lintFieldsPostDissector }, { resolvePolicy }] = await Promise.all([import('../../lint/fields.js'), import('../../lint/config.js')]);
    hooks.push(lintFieldsPostDissector({ policy: resolvePolicy() }));
  }
  // Summary lines of a filtered run do not show the hooks' fields: frames are dissected without
  // columns, and one that matches is dissected again for its summary line (which drops the
  // generated fields, unused there). Every other output with hooks is dissected once, with
  // everything it shows.
  let materialise: { first?: Materialise; output: Materialise } = { output };
  if (hooks.length > 0 && filter !== undefined && printed.want !== null && printed.columns && spec.format === 'text') {
    materialise = { first: { want: unionWant(output.want, wantMask(filter.fields)), columns: false }, output: printed };
  }
  return { materialise, hooks, session };
}

/**
 * Whether the run prints summary lines alone, uncoloured and unfiltered, without generated
 * fields: then the summary fast path (output/fastsummary.ts) fills the common frames' columns.
 * Returns the dissectCapture options that install it (none otherwise).
 */
export function fastColumns(spec: RenderSpec, filter: DisplayFilter | undefined, hooks: number): { columnsFastPath?: FastSummary } {
  const on = spec.text && spec.format === 'text' && spec.summary && !spec.detail && !spec.hex && spec.colors === null && filter === undefined && hooks === 0;
  return on ? { columnsFastPath: new FastSummary() } : {};
}
