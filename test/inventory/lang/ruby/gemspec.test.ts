import { describe, expect, it } from 'vitest';
import { gemspecAnalyzer } from '../../../../src/inventory/lang/ruby/analyzers.js';
import { parseGemspec } from '../../../../src/inventory/lang/ruby/gemspec.js';
import { isGemfileLock, isInstalledGemspec } from '../../../../src/inventory/lang/ruby/paths.js';
import { rubyLiterals } from '../../../../src/inventory/lang/ruby/rubyLiterals.js';
import { memoryInput } from '../analyze.js';

const MODERN = `# -*- encoding: utf-8 -*-
# stub: nokogiri 1.15.4 x86_64-linux lib

Gem::Specification.new do |s|
  s.name = "nokogiri".freeze
  s.version = "1.15.4"
  s.platform = "x86_64-linux".freeze

  s.required_rubygems_version = Gem::Requirement.new(">= 0".freeze) if s.respond_to? :required_rubygems_version=
  s.metadata = { "bug_tracker_uri" => "https://github.com/sparklemotion/nokogiri/issues" } if s.respond_to? :metadata=
  s.require_paths = ["lib".freeze]
  s.authors = ["Mike Dalessio".freeze, "Aaron Patterson".freeze]
  s.licenses = ["MIT".freeze, "Apache-2.0".freeze]
  s.rubygems_version = "3.4.10".freeze
  s.summary = "Nokogiri (\\u92F8) makes it easy and painless to work with XML and HTML from Ruby.".freeze
end
`;

const OLD = `Gem::Specification.new do |s|
  s.name = %q{rake}
  s.version = "0.8.7"
  s.license = 'MIT'
end
`;

describe('installed gemspec', () => {
  it('reads the literal name, version and licenses RubyGems writes', () => {
    expect(parseGemspec(MODERN, 'x.gemspec').packages).toEqual([
      { name: 'nokogiri', version: '1.15.4', licenses: ['MIT', 'Apache-2.0'] },
    ]);
    expect(parseGemspec(OLD, 'x.gemspec').packages).toEqual([
      { name: 'rake', version: '0.8.7', licenses: ['MIT'] },
    ]);
  });

  it('never evaluates Ruby: a computed version falls back to the stub line, else a warning', async () => {
    const computed =
      '# stub: json 2.6.1 ruby lib\nGem::Specification.new do |s|\n  s.name = "json"\n  s.version = JSON::VERSION\nend\n';
    expect(parseGemspec(computed, 'x.gemspec').packages[0]).toMatchObject({ name: 'json', version: '2.6.1' });
    const path = 'usr/lib/ruby/gems/3.1.0/specifications/x.gemspec';
    const out = await gemspecAnalyzer.analyze(
      memoryInput(
        path,
        'Gem::Specification.new do |s|\n  s.name = `rm -rf /`\n  s.version = File.read("V")\nend\n',
        'image',
      ),
    );
    expect(out?.warnings).toEqual(['gemspec without a literal name and version']);
  });

  it('reads every literal form and rejects anything computed', () => {
    expect(rubyLiterals('"a\\"b".freeze')).toEqual(['a"b']);
    expect(rubyLiterals("'it\\'s'")).toEqual(["it's"]);
    expect(rubyLiterals('%q(x y)')).toEqual(['x y']);
    expect(rubyLiterals('%Q<x>.freeze')).toEqual(['x']);
    expect(rubyLiterals('%w[MIT Ruby]')).toEqual(['MIT', 'Ruby']);
    expect(rubyLiterals('["MIT".freeze, "GPL-2.0".freeze] # comment')).toEqual(['MIT', 'GPL-2.0']);
    expect(rubyLiterals('Foo::VERSION')).toBeUndefined();
    expect(rubyLiterals('"1" + suffix')).toBeUndefined();
    expect(rubyLiterals('"unterminated')).toBeUndefined();
    expect(rubyLiterals('%x(cmd)')).toBeUndefined();
  });

  it.each([
    ['usr/lib/ruby/gems/3.1.0/specifications/default/json-2.6.1.gemspec', true],
    ['usr/share/rubygems-integration/all/specifications/rack-2.2.6.4.gemspec', true],
    ['app/vendor/bundle/ruby/3.2.0/specifications/rails-7.0.4.gemspec', true],
    ['app/myapp.gemspec', false],
    ['usr/lib/ruby/gems/3.1.0/gems/rake-13.0.6/rake.gemspec', false],
  ])('gemspec %s → %s', (path, wanted) => expect(isInstalledGemspec(path)).toBe(wanted));

  it.each([
    ['Gemfile.lock', true],
    ['app/gems.locked', true],
    ['srv/gems/app/Gemfile.lock', true],
    ['vendor/bundle/ruby/3.2.0/gems/rack-3.0.8/Gemfile.lock', false],
    ['vendor/bundle/ruby/3.2.0/bundler/gems/rails-abc123/Gemfile.lock', false],
  ])('lockfile %s → %s', (path, wanted) => expect(isGemfileLock(path)).toBe(wanted));
});
