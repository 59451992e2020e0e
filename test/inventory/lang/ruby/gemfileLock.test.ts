import { describe, expect, it } from 'vitest';
import { parseGemfileLock } from '../../../../src/inventory/lang/ruby/gemfileLock.js';

const LOCK = `GIT
  remote: https://github.com/rails/rails.git
  revision: 0123456789abcdef
  branch: main
  specs:
    rails (7.1.0.alpha)
      actionpack (= 7.1.0.alpha)

PATH
  remote: engines/mine
  specs:
    mine (0.1.0)
      rack

GEM
  remote: https://rubygems.org/
  specs:
    actionpack (7.1.0.alpha)
    nokogiri (1.15.4-x86_64-linux)
      racc (~> 1.4)
    nokogiri (1.15.4-arm64-darwin)
      racc (~> 1.4)
    racc (1.7.1)
    rack (3.0.8)

PLATFORMS
  arm64-darwin
  x86_64-linux

DEPENDENCIES
  mine!
  nokogiri
  rails!

CHECKSUMS
  racc (1.7.1) sha256=af64124836fdd3c00e830703d7f873ea5deabde923f37006a39f5a5e0da16387

RUBY VERSION
   ruby 3.2.2p53

BUNDLED WITH
   2.4.19
`;

describe('Gemfile.lock', () => {
  it('reads GEM and GIT specs, strips the platform, leaves PATH gems and other sections out', () => {
    expect(parseGemfileLock(LOCK).packages).toEqual([
      { name: 'rails', version: '7.1.0.alpha' },
      { name: 'actionpack', version: '7.1.0.alpha' },
      { name: 'nokogiri', version: '1.15.4' },
      { name: 'nokogiri', version: '1.15.4' },
      { name: 'racc', version: '1.7.1' },
      { name: 'rack', version: '3.0.8' },
    ]);
  });

  it('reads CRLF files', () => {
    expect(parseGemfileLock(LOCK.replace(/\n/g, '\r\n')).packages).toHaveLength(6);
  });
});
