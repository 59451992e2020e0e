import type { Command } from 'commander';
import { registerVersion } from './version.js';

/** Every CLI command registers itself here; each lives in its own file in src/cli/. */
export const commands: ((program: Command) => void)[] = [registerVersion];
