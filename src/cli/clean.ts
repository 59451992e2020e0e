import type { Command } from 'commander';
import { cleanCache } from '../inventory/cache.js';
import { cacheDir } from '../util/paths.js';
import { formatBytes } from '../util/progress.js';

export function registerClean(program: Command): void {
  program
    .command('clean')
    .description('empty the cache directory (layer results, scratch files)')
    .action(async (_opts: unknown, cmd: Command) => {
      const { quiet } = cmd.optsWithGlobals() as { quiet?: boolean };
      const dir = cacheDir();
      const { entries, bytes } = await cleanCache(dir);
      if (!quiet) process.stderr.write(`removed ${entries} files (${formatBytes(bytes)}) from ${dir}\n`);
    });
}
