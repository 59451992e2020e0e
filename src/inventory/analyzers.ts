import type { Analyzer } from './analyzer.js';
import { goBinaryAnalyzer, goModAnalyzer } from './lang/go/analyzer.js';
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
];
