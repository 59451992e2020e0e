import { fileAnalyzer, INSTALLED_MODES, SOURCE_TREE_MODES } from '../fileAnalyzer.js';
import { parseInstalledPackageJson } from './packageJson.js';
import { parsePackageLock } from './packageLock.js';
import { isInstalledPackageJson, isPackageLock, isPnpmLock, isYarnLock } from './paths.js';
import { parsePnpmLock } from './pnpmLock.js';
import { parseYarnLock } from './yarnLock.js';

const MiB = 1024 * 1024;

/** Installed packages: node_modules/**\/package.json in images and root filesystems. */
export const npmPackageAnalyzer = fileAnalyzer({
  name: 'npm-package',
  version: 1,
  ecosystem: 'npm',
  modes: INSTALLED_MODES,
  wants: isInstalledPackageJson,
  maxBytes: 4 * MiB,
  parse: parseInstalledPackageJson,
});

export const npmLockAnalyzer = fileAnalyzer({
  name: 'npm-lock',
  version: 1,
  ecosystem: 'npm',
  modes: SOURCE_TREE_MODES,
  wants: isPackageLock,
  maxBytes: 64 * MiB,
  parse: parsePackageLock,
});

export const yarnLockAnalyzer = fileAnalyzer({
  name: 'yarn-lock',
  version: 1,
  ecosystem: 'npm',
  modes: SOURCE_TREE_MODES,
  wants: isYarnLock,
  maxBytes: 32 * MiB,
  parse: parseYarnLock,
});

export const pnpmLockAnalyzer = fileAnalyzer({
  name: 'pnpm-lock',
  version: 1,
  ecosystem: 'npm',
  modes: SOURCE_TREE_MODES,
  wants: isPnpmLock,
  maxBytes: 32 * MiB,
  parse: parsePnpmLock,
});
