import type { Command } from 'commander';
import { registerInfo } from './info.js';
import { registerDissect } from './dissect.js';
import { registerFields } from './fields.js';
import { registerSessions } from './sessions.js';
import { registerGenerate } from './generate.js';
import { registerLint } from './lint.js';

/** The one list of sub-commands. Each entry adds its command to the program and returns it. */
export const COMMANDS: ((program: Command) => Command)[] = [registerInfo, registerDissect, registerFields, registerSessions, registerGenerate, registerLint];
