import type { Command } from 'commander';

/** Adds one sub-command to the program and returns it. */
export type RegisterCommand = (program: Command) => Command;

/**
 * The one list of sub-commands, in help order. Each entry loads its command's module (and with
 * it the modules that command needs: dissectors, filter, sessions, lint, generator) only when
 * asked, so `gretool dissect` does not pay for loading `gretool generate`.
 */
export const COMMAND_LOADERS: readonly (readonly [string, () => Promise<RegisterCommand>])[] = [
  ['info', async () => (await import('./info.js')).registerInfo],
  ['dissect', async () => (await import('./dissect.js')).registerDissect],
  ['fields', async () => (await import('./fields.js')).registerFields],
  ['sessions', async () => (await import('./sessions.js')).registerSessions],
  ['generate', async () => (await import('./generate.js')).registerGenerate],
  ['lint', async () => (await import('./lint.js')).registerLint],
];

/**
 * The register functions a command line needs: only its sub-command's when the first argument
 * names one (`gretool dissect …`), every command otherwise (help, unknown commands, `gretool`).
 */
export async function loadCommands(argv: readonly string[]): Promise<RegisterCommand[]> {
  // the generated fields of the session correlator (the "gretool" protocol) and of the linter
  // ("gretool.lint", declaration only) are part of every command's registry (filters, -e, the
  // glossary, ek names), whichever command is loaded
  await import('../../sessions/fields.js');
  await import('../../lint/field-defs.js');
  const name = argv[2];
  if (argv.length === 3 && (name === '-v' || name === '--version')) return [];
  const one = COMMAND_LOADERS.find(([n]) => n === name);
  const chosen = one ? [one] : COMMAND_LOADERS;
  return Promise.all(chosen.map(([, load]) => load()));
}
