import fc from 'fast-check';
import { describe, it } from 'vitest';
import {
  composerInstalledAnalyzer,
  composerLockAnalyzer,
} from '../../../../src/inventory/lang/php/analyzers.js';
import { checkAnalyzer, mutated } from '../fuzz.js';

const INSTALLED = `{"packages":[{"name":"psr/log","version":"3.0.0","license":["MIT"],"dist":{"type":"zip"}}],"dev":true,"dev-package-names":["psr/log"]}`;
const LOCK = `{"packages":[{"name":"symfony/console","version":"v6.4.1","license":"MIT"}],"packages-dev":[{"name":"a/b","version":"1"}]}`;
const anyText = fc.oneof(
  fc.string(),
  fc.json(),
  fc.jsonValue().map((v) => JSON.stringify({ packages: v })),
);

describe('PHP analyzers never crash on damaged input', () => {
  it('installed.json', () =>
    checkAnalyzer(
      composerInstalledAnalyzer,
      'vendor/composer/installed.json',
      fc.oneof(anyText, mutated(INSTALLED)),
    ));
  it('composer.lock', () =>
    checkAnalyzer(composerLockAnalyzer, 'composer.lock', fc.oneof(anyText, mutated(LOCK))));
});
