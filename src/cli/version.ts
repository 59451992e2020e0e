import type { Command } from 'commander';
import { packageVersion } from '../util/version.js';

export function registerVersion(program: Command): void {
  program
    .command('version')
    .description('print the version')
    .action(() => {
      process.stdout.write(`ringfence ${packageVersion()}\n`);
    });
}
