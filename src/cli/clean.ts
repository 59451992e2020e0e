import type { Command } from 'commander';
import { cleanCache } from '../inventory/cache.js';
import { cacheDir } from '../util/paths.js';
import { formatBytes } from '../util/progress.js';

export function registerClean(program: Command): void {
  program
    .command('clean')
    .description('empty the scan cache (per-layer results); --all empties the whole cache directory')
    .option(
      '--all',
      'also remove everything else in the cache directory, the vulnerability database included',
    )
    .action(async (opts: { all?: boolean }, cmd: Command) => {
      const { quiet } = cmd.optsWithGlobals() as { quiet?: boolean };
      const dir = cacheDir();
      const { entries, bytes } = await cleanCache(dir, { all: opts.all });
      if (!quiet) process.stderr.write(`removed ${entries} files (${formatBytes(bytes)}) from ${dir}\n`);
    });
}
