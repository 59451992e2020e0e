import { describe, expect, it } from 'vitest';
import {
  composerInstalledAnalyzer,
  composerLockAnalyzer,
} from '../../../../src/inventory/lang/php/analyzers.js';
import { parseComposerLock } from '../../../../src/inventory/lang/php/composerLock.js';
import { parseComposerInstalled } from '../../../../src/inventory/lang/php/installedJson.js';
import { isComposerInstalled, isComposerLock } from '../../../../src/inventory/lang/php/paths.js';
import { memoryInput } from '../analyze.js';

const summary = (result: {
  packages: { name: string; version: string; dev?: boolean; licenses?: string[] }[];
}) =>
  result.packages.map((p) => `${p.name}@${p.version}${p.dev ? ' dev' : ''} ${(p.licenses ?? []).join('|')}`);

/** Composer 1's installed.json (a bare array), written from the documented format. */
const INSTALLED_V1 = JSON.stringify([
  {
    name: 'monolog/monolog',
    version: '1.27.1',
    version_normalized: '1.27.1.0',
    license: ['MIT'],
    type: 'library',
  },
  { name: 'old/string-license', version: 'v2.0.0', license: 'BSD-3-Clause' },
  { name: 'my/local', version: 'dev-main', dist: { type: 'path', url: '../local' } },
]);

describe('composer', () => {
  it('installed.json from Composer 1 (a list of packages)', () => {
    expect(summary(parseComposerInstalled(INSTALLED_V1, 'vendor/composer/installed.json'))).toEqual([
      'monolog/monolog@1.27.1 MIT',
      'old/string-license@v2.0.0 BSD-3-Clause',
    ]);
  });

  it('installed.json from Composer 2, with dev-package-names', () => {
    const doc = JSON.stringify({
      packages: [
        { name: 'psr/log', version: '3.0.0', license: ['MIT'] },
        { name: 'phpunit/phpunit', version: '10.5.0', license: ['BSD-3-Clause'] },
        { version: '1.0.0' },
      ],
      dev: true,
      'dev-package-names': ['phpunit/phpunit'],
    });
    const result = parseComposerInstalled(doc, 'vendor/composer/installed.json');
    expect(summary(result)).toEqual(['psr/log@3.0.0 MIT', 'phpunit/phpunit@10.5.0 dev BSD-3-Clause']);
    expect(result.warnings).toEqual(['1 package(s) without name and version skipped']);
    expect(() => parseComposerInstalled('{"packages": 3}', 'i.json')).toThrow(
      'i.json: neither a package list (Composer 1) nor {"packages": [...]} (Composer 2)',
    );
  });

  it('composer.lock: packages and packages-dev', () => {
    const lock = JSON.stringify({
      'content-hash': 'x',
      packages: [{ name: 'symfony/console', version: 'v6.4.1', license: ['MIT'] }],
      'packages-dev': [{ name: 'phpunit/phpunit', version: '10.5.0' }],
    });
    expect(summary(parseComposerLock(lock, 'composer.lock'))).toEqual([
      'symfony/console@v6.4.1 MIT',
      'phpunit/phpunit@10.5.0 dev ',
    ]);
  });

  it('runs installed.json in every mode and composer.lock in source trees', async () => {
    expect(composerInstalledAnalyzer.modes).toEqual(['image', 'rootfs', 'fs']);
    expect(composerLockAnalyzer.modes).toEqual(['fs']);
    const out = await composerLockAnalyzer.analyze(memoryInput('app/composer.lock', '{"packages": ['));
    expect(out?.warnings?.[0]).toMatch(/^invalid JSON: /);
  });

  it.each([
    ['vendor/composer/installed.json', true],
    ['var/www/html/lib/composer/installed.json', true],
    ['installed.json', false],
    ['vendor/composer/installed.php', false],
  ])('installed %s → %s', (path, wanted) => expect(isComposerInstalled(path)).toBe(wanted));

  it.each([
    ['composer.lock', true],
    ['srv/app/composer.lock', true],
    ['srv/app/vendor/acme/lib/composer.lock', false],
  ])('lock %s → %s', (path, wanted) => expect(isComposerLock(path)).toBe(wanted));
});
