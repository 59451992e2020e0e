/**
 * Which files the Ruby analyzers read. RubyGems records every installed gem (in GEM_HOME,
 * Debian's rubygems-integration, a Bundler vendor/bundle, Ruby's default gems) as
 * `specifications/[default/]NAME-VERSION.gemspec`. Gemfile.lock (or gems.locked) counts only
 * outside installed gems, which often ship the lockfile of their own development.
 */

const INSTALLED_SPEC = /(?:^|\/)specifications\/(?:default\/)?[^/]+\.gemspec$/;
const INSIDE_INSTALLED_GEM = /(?:^|\/)(?:gems\/[^/]+-[0-9][^/]*|bundler\/gems\/[^/]+)\//;

export function isInstalledGemspec(path: string): boolean {
  return INSTALLED_SPEC.test(path);
}

export function isGemfileLock(path: string): boolean {
  const base = path.slice(path.lastIndexOf('/') + 1);
  return (base === 'Gemfile.lock' || base === 'gems.locked') && !INSIDE_INSTALLED_GEM.test(path);
}
