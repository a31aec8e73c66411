/**
 * The colour decision, made once per run and passed to chalk and cli-table3 (neither is left
 * to decide on its own: chalk ignores NO_COLOR and cli-table3 colours headers by default).
 *
 * Order: --color / --no-color win; else NO_COLOR (set and non-empty) disables; else FORCE_COLOR
 * forces ("0" / "false" disable); else colour only when the stream is a TTY. Machine formats
 * (json, ek, fields, written captures) are never coloured, whatever the decision.
 */
import { Chalk, type ChalkInstance } from 'chalk';

export interface ColorChoice {
  enabled: boolean;
  /** chalk level: 0 none, 1 basic 16 colours, 2 256 colours, 3 truecolor. */
  level: 0 | 1 | 2 | 3;
}

export interface ColorInputs {
  /** true for --color, false for --no-color, undefined when neither was given. */
  flag?: boolean;
  env?: NodeJS.ProcessEnv;
  isTTY?: boolean;
}

/** Decides whether to colour output. */
export function decideColor(inputs: ColorInputs = {}): ColorChoice {
  const env = inputs.env ?? process.env;
  const force = env.FORCE_COLOR;
  const forcedLevel = (): 1 | 2 | 3 => (force === '2' ? 2 : force === '3' ? 3 : 1);
  if (inputs.flag === true) return { enabled: true, level: force !== undefined && /^[123]$/.test(force) ? forcedLevel() : 1 };
  if (inputs.flag === false) return { enabled: false, level: 0 };
  if (env.NO_COLOR !== undefined && env.NO_COLOR !== '') return { enabled: false, level: 0 };
  if (force !== undefined) {
    if (force === '0' || force.toLowerCase() === 'false') return { enabled: false, level: 0 };
    return { enabled: true, level: forcedLevel() };
  }
  const tty = inputs.isTTY ?? process.stdout.isTTY === true;
  return tty ? { enabled: true, level: 1 } : { enabled: false, level: 0 };
}

/** A chalk instance that follows the decision (level 0 = plain text). */
export function makeChalk(choice: ColorChoice): ChalkInstance {
  return new Chalk({ level: choice.enabled ? choice.level : 0 });
}

/** cli-table3 `style` option for the decision: no colour codes at all when disabled. */
export function tableStyle(choice: ColorChoice): { head: string[]; border: string[] } {
  return choice.enabled ? { head: ['cyan'], border: ['grey'] } : { head: [], border: [] };
}

/**
 * Reads --color / --no-color from commander options: commander gives `color: true` for
 * --color, `false` for --no-color, and `undefined` when neither was given (declare both).
 */
export function colorFlag(opts: { color?: boolean }): boolean | undefined {
  return opts.color;
}

/** The open/close escape sequences of a chalk style (empty strings when colour is off). */
export function escapes(style: (s: string) => string): [string, string] {
  const marked = style('\u0000');
  const i = marked.indexOf('\u0000');
  return [marked.slice(0, i), marked.slice(i + 1)];
}
