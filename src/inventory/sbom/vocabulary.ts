import type { Ecosystem } from '../../types.js';

/**
 * What other SBOM writers call things, mapped to Ringfence's names: Syft's catalogers and
 * Trivy's package types (which analyzer found a package: matching treats Go binaries apart,
 * reports group some analyzers), and Trivy's OS family names (os-release IDs here).
 */

const SYFT_CATALOGERS: Record<string, string> = {
  'dpkg-db-cataloger': 'dpkg',
  'apk-db-cataloger': 'apk',
  'rpm-db-cataloger': 'rpm',
  'go-module-binary-cataloger': 'go-binary',
  'go-module-file-cataloger': 'go-mod',
  'java-archive-cataloger': 'java-archive',
  'javascript-package-cataloger': 'npm-package',
  'javascript-lock-cataloger': 'npm-lock',
  'python-installed-package-cataloger': 'python-package',
  'python-package-cataloger': 'python-package',
  'ruby-installed-gemspec-cataloger': 'gemspec',
  'ruby-gemspec-cataloger': 'gemspec',
  'ruby-gemfile-cataloger': 'bundler-lock',
  'rust-cargo-lock-cataloger': 'cargo-lock',
  'cargo-auditable-binary-cataloger': 'rust-binary',
  'php-composer-installed-cataloger': 'composer-installed',
  'php-composer-lock-cataloger': 'composer-lock',
  'dotnet-deps-cataloger': 'dotnet-deps',
  'dotnet-packages-lock-cataloger': 'nuget-lock',
};

const TRIVY_PACKAGE_TYPES: Record<string, string> = {
  gobinary: 'go-binary',
  gomod: 'go-mod',
  jar: 'java-archive',
  'node-pkg': 'npm-package',
  npm: 'npm-lock',
  yarn: 'yarn-lock',
  pnpm: 'pnpm-lock',
  'python-pkg': 'python-package',
  pip: 'pip-requirements',
  poetry: 'poetry-lock',
  pipenv: 'pipfile-lock',
  uv: 'uv-lock',
  gemspec: 'gemspec',
  bundler: 'bundler-lock',
  cargo: 'cargo-lock',
  rustbinary: 'rust-binary',
  composer: 'composer-lock',
  'composer-vendor': 'composer-installed',
  'dotnet-core': 'dotnet-deps',
  nuget: 'nuget-lock',
};

const OS_DATABASES: Partial<Record<Ecosystem, string>> = { deb: 'dpkg', apk: 'apk', rpm: 'rpm' };

/** Packages from an SBOM that does not say which analyzer found them. */
const UNKNOWN_ANALYZER = 'sbom';

/** Our analyzer name for a package, from what the document says found it. */
export function analyzerFor(
  ecosystem: Ecosystem,
  said: { syftCataloger?: string; trivyType?: string },
): string {
  const os = OS_DATABASES[ecosystem];
  if (os) return os;
  return (
    (said.syftCataloger && SYFT_CATALOGERS[said.syftCataloger]) ||
    (said.trivyType && TRIVY_PACKAGE_TYPES[said.trivyType]) ||
    UNKNOWN_ANALYZER
  );
}

const OS_IDS: Record<string, string> = {
  alma: 'almalinux',
  amazon: 'amzn',
  oracle: 'ol',
  redhat: 'rhel',
  'opensuse.leap': 'opensuse-leap',
  'opensuse.tumbleweed': 'opensuse-tumbleweed',
  'suse linux enterprise server': 'sles',
  'suse linux enterprise micro': 'sle-micro',
};

/** An OS name as an SBOM gives it ("debian", Trivy's "redhat", "alma") → os-release ID. */
export function osIdFor(name: string): string {
  const lower = name.toLowerCase();
  return OS_IDS[lower] ?? lower;
}

export const ECOSYSTEMS: ReadonlySet<string> = new Set<Ecosystem>([
  'deb',
  'rpm',
  'apk',
  'npm',
  'pypi',
  'golang',
  'maven',
  'gem',
  'cargo',
  'composer',
  'nuget',
]);
