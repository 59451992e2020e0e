import fc from 'fast-check';
import { describe, it } from 'vitest';
import { bundlerLockAnalyzer, gemspecAnalyzer } from '../../../../src/inventory/lang/ruby/analyzers.js';
import { checkAnalyzer, mutated } from '../fuzz.js';

const GEMSPEC = `# -*- encoding: utf-8 -*-
# stub: rack 2.2.6.4 ruby lib

Gem::Specification.new do |s|
  s.name = "rack".freeze
  s.version = "2.2.6.4"
  s.licenses = ["MIT".freeze, %q{Ruby}, %w[A B]]
end
`;
const LOCK = `GEM
  remote: https://rubygems.org/
  specs:
    nokogiri (1.15.4-x86_64-linux)
      racc (~> 1.4)
    racc (1.7.1)

PLATFORMS
  x86_64-linux

BUNDLED WITH
   2.4.19
`;
const anyText = fc.oneof(fc.string(), fc.string({ unit: 'binary' }));

describe('Ruby analyzers never crash on damaged input', () => {
  it('gemspec', () =>
    checkAnalyzer(
      gemspecAnalyzer,
      'specifications/rack-2.2.6.4.gemspec',
      fc.oneof(anyText, mutated(GEMSPEC)),
      1000,
    ));
  it('Gemfile.lock', () =>
    checkAnalyzer(bundlerLockAnalyzer, 'Gemfile.lock', fc.oneof(anyText, mutated(LOCK)), 1000));
});
