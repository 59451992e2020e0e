import { execFileSync } from 'node:child_process';
import { beforeAll, describe, expect, it } from 'vitest';
import {
  composerInstalledAnalyzer,
  composerLockAnalyzer,
} from '../../../../src/inventory/lang/php/analyzers.js';
import type { Package } from '../../../../src/types.js';
import { needs } from '../../../helpers/components.js';
import { debianBase } from '../../../helpers/images.js';
import { memoryInput } from '../analyze.js';

/**
 * composer.lock and vendor/composer/installed.json written by Debian's Composer 2, offline:
 * packages come from an artifact repository of zips made in the container, plus a path
 * repository (the project's own code). Oracles: `composer show` (with and without dev) and
 * `composer licenses`.
 */
const SCRIPT = String.raw`set -e
export COMPOSER_ALLOW_SUPERUSER=1 COMPOSER_HOME=/tmp/composer-home
mkdir -p /art /app/libs/local && cd /app
php -r '
$packages = [
  ["name" => "acme/a", "version" => "1.0.0", "license" => "MIT", "require" => ["acme/dep" => "^3.0"]],
  ["name" => "acme/b", "version" => "v2.1.0", "license" => ["Apache-2.0", "GPL-2.0-or-later"]],
  ["name" => "acme/dep", "version" => "3.0.0", "license" => ["BSD-3-Clause"]],
  ["name" => "acme/dev-tool", "version" => "1.2.0", "license" => ["MIT"], "require" => ["acme/dep" => "^3.0", "acme/dev-only" => "*"]],
  ["name" => "acme/dev-only", "version" => "0.9.0"],
];
foreach ($packages as $p) {
  $zip = new ZipArchive();
  $zip->open("/art/" . str_replace("/", "-", $p["name"]) . "-" . $p["version"] . ".zip", ZipArchive::CREATE);
  $zip->addFromString("composer.json", json_encode($p));
  $zip->addFromString("src/A.php", "<?php\n");
  $zip->close();
}
file_put_contents("libs/local/composer.json", json_encode(["name" => "acme/local", "version" => "0.1.0"]));
file_put_contents("composer.json", json_encode([
  "name" => "acme/app",
  "repositories" => [["type" => "artifact", "url" => "/art"], ["type" => "path", "url" => "libs/local"], ["packagist.org" => false]],
  "require" => ["acme/a" => "1.0.0", "acme/b" => "^2.0", "acme/local" => "*"],
  "require-dev" => ["acme/dev-tool" => "^1.0"],
]));
'
composer install --no-interaction --no-scripts --no-plugins --no-progress -q
for f in composer.lock vendor/composer/installed.json; do cat "$f"; echo '@@@'; done
composer show --format=json; echo '@@@'
composer show --no-dev --format=json; echo '@@@'
composer licenses --format=json
`;

interface Shown {
  installed: { name: string; version: string }[];
}

describe.skipIf(needs('docker', 'mmdebstrap'))('composer analyzers on files Composer wrote', () => {
  let lock: string;
  let installed: string;
  let all: Shown;
  let prod: Shown;
  let licenses: Record<string, { version: string; license: string[] }>;

  beforeAll(() => {
    const image = debianBase(['composer', 'php-zip']);
    const out = execFileSync('docker', ['run', '--rm', '--network=none', image, 'bash', '-c', SCRIPT], {
      encoding: 'utf8',
    });
    const parts = out.split('@@@\n');
    [lock, installed] = parts as [string, string];
    all = JSON.parse(parts[2]!) as Shown;
    prod = JSON.parse(parts[3]!) as Shown;
    licenses = (JSON.parse(parts[4]!) as { dependencies: typeof licenses }).dependencies;
  });

  /** What Composer installed, minus the path repository package (the project's own code). */
  const expected = () => {
    const prodNames = new Set(prod.installed.map((p) => p.name));
    return all.installed
      .filter((p) => p.name !== 'acme/local')
      .map(
        (p) =>
          `${p.name}@${p.version}${prodNames.has(p.name) ? '' : ' dev'} ${licenses[p.name]!.license.join('|')}`,
      )
      .sort();
  };
  const summary = (packages: Package[] | undefined) =>
    (packages ?? [])
      .map((p) => `${p.name}@${p.version}${p.dev ? ' dev' : ''} ${(p.licenses ?? []).join('|')}`)
      .sort();

  it('reads installed.json (Composer 2) as composer show lists it', async () => {
    const out = await composerInstalledAnalyzer.analyze(
      memoryInput('app/vendor/composer/installed.json', installed, 'image'),
    );
    expect(out?.warnings).toBeUndefined();
    expect(all.installed.length).toBe(6);
    expect(summary(out?.packages)).toEqual(expected());
  });

  it('reads composer.lock as composer show lists it', async () => {
    const out = await composerLockAnalyzer.analyze(memoryInput('app/composer.lock', lock));
    expect(out?.warnings).toBeUndefined();
    expect(summary(out?.packages)).toEqual(expected());
  });
});
