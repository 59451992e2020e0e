import { fileAnalyzer, INSTALLED_MODES, SOURCE_TREE_MODES } from '../fileAnalyzer.js';
import { parseGemfileLock } from './gemfileLock.js';
import { parseGemspec } from './gemspec.js';
import { isGemfileLock, isInstalledGemspec } from './paths.js';

const MiB = 1024 * 1024;

/** Installed gems (specifications/*.gemspec) in images and root filesystems. */
export const gemspecAnalyzer = fileAnalyzer({
  name: 'gemspec',
  version: 1,
  ecosystem: 'gem',
  modes: INSTALLED_MODES,
  wants: isInstalledGemspec,
  maxBytes: 4 * MiB,
  parse: parseGemspec,
});

export const bundlerLockAnalyzer = fileAnalyzer({
  name: 'bundler-lock',
  version: 1,
  ecosystem: 'gem',
  modes: SOURCE_TREE_MODES,
  wants: isGemfileLock,
  maxBytes: 16 * MiB,
  parse: parseGemfileLock,
});
