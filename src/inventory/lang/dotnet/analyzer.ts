import type { Analyzer } from '../../analyzer.js';
import { fileAnalyzer, SOURCE_TREE_MODES } from '../fileAnalyzer.js';
import { parseDepsJson, parsePackagesLock } from './parse.js';

const MiB = 1024 * 1024;

/** `*.deps.json` of built and published apps, wherever they are (images and source trees). */
export const dotnetDepsAnalyzer: Analyzer = fileAnalyzer({
  name: 'dotnet-deps',
  version: 1,
  ecosystem: 'nuget',
  modes: ['image', 'rootfs', 'fs'],
  wants: (path) => path.endsWith('.deps.json'),
  maxBytes: 32 * MiB,
  parse: parseDepsJson,
});

/** NuGet `packages.lock.json` in source trees. */
export const nugetLockAnalyzer: Analyzer = fileAnalyzer({
  name: 'nuget-lock',
  version: 1,
  ecosystem: 'nuget',
  modes: SOURCE_TREE_MODES,
  wants: (path) => path === 'packages.lock.json' || path.endsWith('/packages.lock.json'),
  maxBytes: 32 * MiB,
  parse: parsePackagesLock,
});
