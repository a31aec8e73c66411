import { Command, CommanderError } from 'commander';
import { GretoolError } from '../errors.js';
import { EXIT, EXIT_CODE_OF, EXIT_CODES_HELP } from './exit-codes.js';
import { COMMAND_LOADERS, loadCommands, type RegisterCommand } from './commands/index.js';
import { VERSION } from '../version.js';
import { installStdoutGuard, StdoutClosed } from './io.js';

/**
 * Builds the commander program with the given commands (default: every command). Each command
 * registers itself from src/cli/commands/.
 */
export async function buildProgram(commands?: RegisterCommand[]): Promise<Command> {
  const registers = commands ?? (await Promise.all(COMMAND_LOADERS.map(([, load]) => load())));
  const program = new Command();
  program
    .name('gretool')
    .description(
      'Dissector, linter, session correlator and capture generator for Proxy Mobile IPv6 with GRE keys (RFC 5845)',
    )
    .version(VERSION, '-v, --version', 'print the version')
    .showHelpAfterError('(run with --help for usage)')
    .addHelpText('after', '\n' + EXIT_CODES_HELP)
    .exitOverride()
    .configureOutput({
      writeErr: (s) => process.stderr.write(s),
      writeOut: (s) => process.stdout.write(s),
    });
  for (const register of registers) {
    const cmd = register(program);
    cmd.exitOverride();
    cmd.addHelpText('after', '\n' + EXIT_CODES_HELP);
  }
  return program;
}

/** Runs the CLI and resolves to the exit code. Never throws on user input. */
export async function main(argv: string[]): Promise<number> {
  installStdoutGuard();
  const debug = argv.includes('--debug');
  try {
    // only the command being run is loaded (start-up time); help lists them all
    const program = await buildProgram(await loadCommands(argv));
    await program.parseAsync(argv);
    // Commands report a verdict (lint's exit 1) through process.exitCode.
    return typeof process.exitCode === 'number' ? process.exitCode : EXIT.OK;
  } catch (err) {
    return handleError(err, debug);
  }
}

export function handleError(err: unknown, debug: boolean): number {
  if (err instanceof StdoutClosed) return EXIT.OK;
  if (err instanceof CommanderError) {
    // help and version "errors" are successes; commander already printed its message
    if (err.code === 'commander.helpDisplayed' || err.code === 'commander.version' || err.code === 'commander.help') {
      return EXIT.OK;
    }
    return EXIT.USAGE;
  }
  if (err instanceof GretoolError) {
    process.stderr.write(`gretool: ${err.message}\n`);
    if (debug && err.stack) process.stderr.write(err.stack + '\n');
    return EXIT_CODE_OF[err.code];
  }
  const e = err as { code?: string; message?: string; stack?: string };
  if (e && (e.code === 'EPIPE' || e.code === 'ERR_STREAM_DESTROYED')) return EXIT.OK;
  // An internal bug: say so in one line; --debug shows the stack.
  process.stderr.write(`gretool: internal error: ${e?.message ?? String(err)}\n`);
  if (debug && e?.stack) process.stderr.write(e.stack + '\n');
  else process.stderr.write('gretool: (run again with --debug for details)\n');
  return EXIT.INTERNAL;
}
