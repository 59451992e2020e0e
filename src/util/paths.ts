import { homedir } from 'node:os';
import { join } from 'node:path';

let cacheOverride: string | undefined;

/** `--cache-dir` wins over $XDG_CACHE_HOME/ringfence, which wins over ~/.cache/ringfence. */
export function setCacheDir(dir: string | undefined): void {
  cacheOverride = dir;
}

export function cacheDir(): string {
  if (cacheOverride) return cacheOverride;
  const xdg = process.env.XDG_CACHE_HOME;
  return join(xdg && xdg.length > 0 ? xdg : join(homedir(), '.cache'), 'ringfence');
}
