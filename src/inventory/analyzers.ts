import type { Analyzer } from './analyzer.js';
import { configFileAnalyzer } from './config/analyzer.js';
import { dotnetDepsAnalyzer, nugetLockAnalyzer } from './lang/dotnet/analyzer.js';
import { goBinaryAnalyzer, goModAnalyzer } from './lang/go/analyzer.js';
import { javaArchiveAnalyzer } from './lang/java/analyzer.js';
import {
  npmLockAnalyzer,
  npmPackageAnalyzer,
  pnpmLockAnalyzer,
  yarnLockAnalyzer,
} from './lang/npm/analyzers.js';
import { composerInstalledAnalyzer, composerLockAnalyzer } from './lang/php/analyzers.js';
import {
  pipfileLockAnalyzer,
  pipRequirementsAnalyzer,
  poetryLockAnalyzer,
  pythonPackageAnalyzer,
  uvLockAnalyzer,
} from './lang/python/analyzers.js';
import { bundlerLockAnalyzer, gemspecAnalyzer } from './lang/ruby/analyzers.js';
import { cargoLockAnalyzer, rustBinaryAnalyzer } from './lang/rust/analyzer.js';
import { apkAnalyzer } from './os/apk/analyzer.js';
import { dpkgAnalyzer } from './os/dpkg/analyzer.js';
import { distroReleaseAnalyzer, osReleaseAnalyzer } from './os/release/analyzer.js';
import { rpmAnalyzer } from './os/rpm/analyzer.js';

/**
 * Every analyzer the layer walker runs. Adding one is a new module plus one line here;
 * the walker, cache and applier never change for it.
 */
export const analyzers: readonly Analyzer[] = [
  osReleaseAnalyzer,
  distroReleaseAnalyzer,
  dpkgAnalyzer,
  apkAnalyzer,
  rpmAnalyzer,
  goBinaryAnalyzer,
  goModAnalyzer,
  javaArchiveAnalyzer,
  npmPackageAnalyzer,
  npmLockAnalyzer,
  yarnLockAnalyzer,
  pnpmLockAnalyzer,
  pythonPackageAnalyzer,
  pipRequirementsAnalyzer,
  poetryLockAnalyzer,
  pipfileLockAnalyzer,
  uvLockAnalyzer,
  gemspecAnalyzer,
  bundlerLockAnalyzer,
  composerInstalledAnalyzer,
  composerLockAnalyzer,
  rustBinaryAnalyzer,
  cargoLockAnalyzer,
  dotnetDepsAnalyzer,
  nugetLockAnalyzer,
  configFileAnalyzer,
];
