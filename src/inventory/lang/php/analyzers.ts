import { fileAnalyzer, INSTALLED_MODES, SOURCE_TREE_MODES } from '../fileAnalyzer.js';
import { parseComposerLock } from './composerLock.js';
import { parseComposerInstalled } from './installedJson.js';
import { isComposerInstalled, isComposerLock } from './paths.js';

const MiB = 1024 * 1024;

/** What Composer installed: in images, root filesystems and source trees with a vendor/ directory. */
export const composerInstalledAnalyzer = fileAnalyzer({
  name: 'composer-installed',
  version: 1,
  ecosystem: 'composer',
  modes: [...INSTALLED_MODES, ...SOURCE_TREE_MODES],
  wants: isComposerInstalled,
  maxBytes: 32 * MiB,
  parse: parseComposerInstalled,
});

export const composerLockAnalyzer = fileAnalyzer({
  name: 'composer-lock',
  version: 1,
  ecosystem: 'composer',
  modes: SOURCE_TREE_MODES,
  wants: isComposerLock,
  maxBytes: 32 * MiB,
  parse: parseComposerLock,
});
