import { fileAnalyzer, INSTALLED_MODES, SOURCE_TREE_MODES } from '../fileAnalyzer.js';
import { parseCoreMetadata } from './coreMetadata.js';
import { isInstalledMetadata, isPipfileLock, isPoetryLock, isRequirements, isUvLock } from './paths.js';
import { parsePipfileLock } from './pipfileLock.js';
import { parsePoetryLock } from './poetryLock.js';
import { parseRequirements } from './requirements.js';
import { parseUvLock } from './uvLock.js';

const MiB = 1024 * 1024;

/** Installed distributions (dist-info, egg-info) in images and root filesystems. */
export const pythonPackageAnalyzer = fileAnalyzer({
  name: 'python-package',
  version: 1,
  ecosystem: 'pypi',
  modes: INSTALLED_MODES,
  wants: isInstalledMetadata,
  // The headers come first; a long description after them is never needed.
  maxBytes: 1 * MiB,
  prefixOnly: true,
  parse: parseCoreMetadata,
});

export const pipRequirementsAnalyzer = fileAnalyzer({
  name: 'pip-requirements',
  version: 1,
  ecosystem: 'pypi',
  modes: SOURCE_TREE_MODES,
  wants: isRequirements,
  maxBytes: 8 * MiB,
  parse: parseRequirements,
});

export const poetryLockAnalyzer = fileAnalyzer({
  name: 'poetry-lock',
  version: 1,
  ecosystem: 'pypi',
  modes: SOURCE_TREE_MODES,
  wants: isPoetryLock,
  maxBytes: 32 * MiB,
  parse: parsePoetryLock,
});

export const pipfileLockAnalyzer = fileAnalyzer({
  name: 'pipfile-lock',
  version: 1,
  ecosystem: 'pypi',
  modes: SOURCE_TREE_MODES,
  wants: isPipfileLock,
  maxBytes: 32 * MiB,
  parse: parsePipfileLock,
});

export const uvLockAnalyzer = fileAnalyzer({
  name: 'uv-lock',
  version: 1,
  ecosystem: 'pypi',
  modes: SOURCE_TREE_MODES,
  wants: isUvLock,
  maxBytes: 32 * MiB,
  parse: parseUvLock,
});
