import type { Command } from 'commander';
import { registerInfo } from './info.js';

/** The one list of sub-commands. Each entry adds its command to the program and returns it. */
export const COMMANDS: ((program: Command) => Command)[] = [registerInfo];
