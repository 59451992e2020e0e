import { DEFAULT_SKIP_DIRS } from '../../config/engine/skip-dirs.js';
import type { ScanMode } from '../analyzer.js';

/**
 * Where configuration files are looked for. A source tree (`fs`) is searched as `ringfence
 * config` searches one: only VCS metadata and vendored dependencies are skipped. In an image or
 * a root filesystem, the operating system's directories, dependency trees and hidden
 * directories (tool caches such as ~/.npm, ~/.cargo) hold other people's configuration
 * (examples under /usr/share/doc, test data of installed packages), not the application's.
 */

const SYSTEM_DIRS =
  /^(?:bin|boot|dev|lib|lib32|lib64|libx32|proc|run|sbin|sys|var\/(?:cache|lib|log)|usr\/(?!src\/|local\/)[^/]+|usr\/local\/(?:bin|include|lib|lib32|lib64|libexec|sbin|share))\//;
const DEPENDENCY_DIRS = new Set([
  ...DEFAULT_SKIP_DIRS,
  'site-packages',
  'dist-packages',
  'vendor',
  'gems',
  'bower_components',
]);
const GO_MODULE_CACHE = /(?:^|\/)pkg\/mod\//;

/** Generic YAML/JSON/HCL is only opened up to this size in images and root filesystems. */
export const IMAGE_CONTENT_CANDIDATE_BYTES = 1 << 20;

export function isOutsideConfigSearch(path: string, mode: ScanMode): boolean {
  const dirs = path.split('/').slice(0, -1);
  if (mode === 'fs') return dirs.some((d) => DEFAULT_SKIP_DIRS.includes(d));
  return (
    SYSTEM_DIRS.test(path) ||
    GO_MODULE_CACHE.test(path) ||
    dirs.some((d) => d.startsWith('.') || DEPENDENCY_DIRS.has(d))
  );
}
