import { describe, expect, it } from 'vitest';
import { isPipfileLock, isPoetryLock, isUvLock } from '../../../../src/inventory/lang/python/paths.js';
import { parsePipfileLock } from '../../../../src/inventory/lang/python/pipfileLock.js';
import { parsePoetryLock } from '../../../../src/inventory/lang/python/poetryLock.js';
import { parseUvLock } from '../../../../src/inventory/lang/python/uvLock.js';

/** Fixtures written from each tool's documented lockfile format (PyPI is not reachable here). */
const summary = (result: { packages: { name: string; version: string; dev?: boolean }[] }) =>
  result.packages.map((p) => `${p.name}@${p.version}${p.dev ? ' dev' : ''}`);

describe('poetry.lock', () => {
  it('lock format 1.x: category marks dev packages', () => {
    const lock = `[[package]]
name = "certifi"
version = "2023.7.22"
description = "Python package for providing Mozilla's CA Bundle."
category = "main"
optional = false
python-versions = ">=3.6"

[[package]]
name = "pytest"
version = "7.4.0"
category = "dev"
optional = false
python-versions = ">=3.7"

[package.dependencies]
colorama = {version = "*", markers = "sys_platform == \\"win32\\""}

[package.extras]
testing = ["argcomplete"]

[[package]]
name = "mylib"
version = "0.1.0"
category = "main"
optional = false
python-versions = "^3.8"
develop = true

[package.source]
type = "directory"
url = "../mylib"

[[package]]
name = "fromgit"
version = "1.2.0"
category = "main"
optional = true
python-versions = "*"

[package.source]
type = "git"
url = "https://github.com/x/fromgit.git"
reference = "main"
resolved_reference = "abc123"

[metadata]
lock-version = "1.1"
python-versions = "^3.8"
content-hash = "abc"
`;
    expect(summary(parsePoetryLock(lock, 'poetry.lock'))).toEqual([
      'certifi@2023.7.22',
      'pytest@7.4.0 dev',
      'fromgit@1.2.0',
    ]);
  });

  it('lock format 2.1: groups without "main" are dev; 2.0 says nothing', () => {
    const lock = `[[package]]
name = "requests"
version = "2.32.3"
optional = false
python-versions = ">=3.8"
groups = ["main", "dev"]
files = [
    {file = "requests-2.32.3-py3-none-any.whl", hash = "sha256:70761cfe03c773ceb22aa2f671b4757976145175cdfca038c02654d061d6dcc6"},
]

[[package]]
name = "ruff"
version = "0.5.0"
optional = false
python-versions = ">=3.7"
groups = ["lint"]

[[package]]
name = "idna"
version = "3.7"
optional = false
python-versions = ">=3.5"

[metadata]
lock-version = "2.1"
`;
    expect(summary(parsePoetryLock(lock, 'poetry.lock'))).toEqual([
      'requests@2.32.3',
      'ruff@0.5.0 dev',
      'idna@3.7',
    ]);
  });

  it('rejects invalid TOML with the file and the first line of the error', () => {
    expect(() => parsePoetryLock('[[package]\nname = "x"\n', 'app/poetry.lock')).toThrow(
      /^app\/poetry\.lock: invalid TOML: /,
    );
  });
});

describe('Pipfile.lock', () => {
  it('reads default and develop, stripping ==, leaving out editable and VCS entries', () => {
    const lock = JSON.stringify({
      _meta: { hash: { sha256: 'x' }, 'pipfile-spec': 6, requires: { python_version: '3.11' }, sources: [] },
      default: {
        requests: {
          hashes: ['sha256:a'],
          index: 'pypi',
          markers: "python_version >= '3.7'",
          version: '==2.31.0',
        },
        mylib: { editable: true, path: '.' },
        fromgit: { git: 'https://github.com/x/y.git', ref: 'abc' },
      },
      develop: { pytest: { version: '==7.4.0' }, requests: { version: '==2.31.0' } },
    });
    expect(summary(parsePipfileLock(lock, 'Pipfile.lock'))).toEqual([
      'requests@2.31.0',
      'pytest@7.4.0 dev',
      'requests@2.31.0 dev',
    ]);
    expect(() => parsePipfileLock('[]', 'Pipfile.lock')).toThrow(
      'Pipfile.lock: Pipfile.lock is not a JSON object',
    );
  });
});

describe('uv.lock', () => {
  const lock = `version = 1
revision = 2
requires-python = ">=3.12"

[manifest]
members = ["app", "lib"]

[[package]]
name = "app"
version = "0.1.0"
source = { editable = "." }
dependencies = [
    { name = "httpx", extra = ["socks"] },
    { name = "lib" },
]

[package.optional-dependencies]
cli = [{ name = "click" }]

[package.dev-dependencies]
dev = [{ name = "pytest" }, { name = "anyio" }]
docs = [{ name = "mkdocs" }]

[package.metadata]
requires-dist = [{ name = "httpx", extras = ["socks"] }]

[[package]]
name = "lib"
version = "0.2.0"
source = { editable = "packages/lib" }
dependencies = [{ name = "numpy", version = "1.26.4", source = { registry = "https://pypi.org/simple" }, marker = "python_full_version < '3.13'" }]

[[package]]
name = "numpy"
version = "1.26.4"
source = { registry = "https://pypi.org/simple" }

[[package]]
name = "numpy"
version = "2.1.0"
source = { registry = "https://pypi.org/simple" }

[[package]]
name = "httpx"
version = "0.27.0"
source = { registry = "https://pypi.org/simple" }
dependencies = [{ name = "anyio" }]

[package.optional-dependencies]
socks = [{ name = "socksio" }]
brotli = [{ name = "brotli" }]

[[package]]
name = "anyio"
version = "4.4.0"
source = { registry = "https://pypi.org/simple" }
dependencies = [{ name = "httpx" }]

[[package]]
name = "socksio"
version = "1.0.0"
source = { registry = "https://pypi.org/simple" }

[[package]]
name = "brotli"
version = "1.1.0"
source = { registry = "https://pypi.org/simple" }

[[package]]
name = "click"
version = "8.1.7"
source = { registry = "https://pypi.org/simple" }

[[package]]
name = "pytest"
version = "8.2.0"
source = { registry = "https://pypi.org/simple" }
dependencies = [{ name = "pluggy" }]

[[package]]
name = "pluggy"
version = "1.5.0"
source = { registry = "https://pypi.org/simple" }

[[package]]
name = "mkdocs"
version = "1.6.0"
source = { registry = "https://pypi.org/simple" }

[[package]]
name = "vendored"
version = "0.3.0"
source = { directory = "vendor/vendored" }

[[package]]
name = "wheel-file"
version = "1.0.0"
source = { path = "dist/wheel_file-1.0.0-py3-none-any.whl" }
`;

  it('leaves the members out and derives dev from the graph, following only requested extras', () => {
    expect(summary(parseUvLock(lock, 'uv.lock'))).toEqual([
      'numpy@1.26.4',
      'numpy@2.1.0',
      'httpx@0.27.0',
      'anyio@4.4.0',
      'socksio@1.0.0',
      'brotli@1.1.0',
      'click@8.1.7',
      'pytest@8.2.0 dev',
      'pluggy@1.5.0 dev',
      'mkdocs@1.6.0 dev',
      'wheel-file@1.0.0',
    ]);
  });

  it('warns about a package without a version', () => {
    expect(parseUvLock('version = 1\n[[package]]\nname = "x"\n', 'uv.lock').warnings).toEqual([
      'a [[package]] without name and version; skipped',
    ]);
  });

  it('finds lockfiles outside installed packages only', () => {
    expect(isUvLock('app/uv.lock')).toBe(true);
    expect(isPoetryLock('poetry.lock')).toBe(true);
    expect(isPipfileLock('srv/Pipfile.lock')).toBe(true);
    expect(isPoetryLock('venv/lib/python3.12/site-packages/x/poetry.lock')).toBe(false);
  });
});
