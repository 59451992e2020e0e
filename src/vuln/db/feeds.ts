import { UserError } from '../../util/errors.js';
import { baseEcosystem, canonicalEcosystem, DEBIAN_RELEASES } from './ecosystems.js';

/** The upstream feeds `db update` fetches, and which of them a scan needs. */

export type FeedKind = 'osv' | 'debian-tracker' | 'alpine-secdb' | 'kev' | 'epss';

export interface Feed {
  /** Unique source name in the database: "osv:PyPI", "debian-tracker", "alpine:v3.20:main", "kev", "epss". */
  name: string;
  kind: FeedKind;
  url: string;
  /** OSV feeds import only this ecosystem's entries ("Debian:12" zips also list other releases). */
  osvEcosystem?: string;
  /** Alpine feeds: the release branch, "v3.20". */
  alpineRelease?: string;
}

/** Each base URL can be pointed at a mirror (or, in tests, a local server) by an environment variable. */
const env = (name: string, fallback: string) => (process.env[name] ?? '').replace(/\/+$/, '') || fallback;
const osvBase = () => env('RINGFENCE_OSV_URL', 'https://osv-vulnerabilities.storage.googleapis.com');
const debianTrackerUrl = () =>
  env('RINGFENCE_DEBIAN_TRACKER_URL', 'https://security-tracker.debian.org/tracker/data/json');
const alpineBase = () => env('RINGFENCE_ALPINE_SECDB_URL', 'https://secdb.alpinelinux.org');
const kevUrl = () =>
  env(
    'RINGFENCE_KEV_URL',
    'https://www.cisa.gov/sites/default/files/feeds/known_exploited_vulnerabilities.json',
  );
const epssUrl = () =>
  env('RINGFENCE_EPSS_URL', 'https://epss.empiricalsecurity.com/epss_scores-current.csv.gz');

/** Language ecosystems `--all` fetches (OSV names). */
const LANGUAGE_ECOSYSTEMS = [
  'npm',
  'PyPI',
  'Go',
  'crates.io',
  'Maven',
  'RubyGems',
  'NuGet',
  'Packagist',
  'Hex',
  'Pub',
];
/** Alpine branches `--all` fetches; any other is available with --distro alpine:X.Y. */
const ALPINE_RELEASES = ['v3.17', 'v3.18', 'v3.19', 'v3.20', 'v3.21', 'v3.22'];
/** Whole-distribution OSV feeds `--all` fetches (every release in one zip). */
const OSV_DISTRO_FEEDS = ['Ubuntu', 'Rocky Linux', 'AlmaLinux'];

/** Package types users know from purls and lockfiles, as OSV names them. */
const ECOSYSTEM_ALIASES: Record<string, string> = {
  golang: 'Go',
  cargo: 'crates.io',
  rust: 'crates.io',
  gem: 'RubyGems',
  ruby: 'RubyGems',
  composer: 'Packagist',
  php: 'Packagist',
  python: 'PyPI',
  pip: 'PyPI',
  java: 'Maven',
  dart: 'Pub',
  erlang: 'Hex',
  elixir: 'Hex',
  dotnet: 'NuGet',
};

export function osvFeed(ecosystem: string): Feed {
  // osv.dev names Ubuntu LTS releases "Ubuntu:22.04:LTS"; the database drops the marker.
  const m = /^Ubuntu:(?:Pro:)?(\d\d)\.04$/.exec(ecosystem);
  const published = m && Number(m[1]) % 2 === 0 ? `${ecosystem}:LTS` : ecosystem;
  return {
    name: `osv:${ecosystem}`,
    kind: 'osv',
    url: `${osvBase()}/${encodeURIComponent(published)}/all.zip`,
    osvEcosystem: ecosystem,
  };
}

function debianTrackerFeed(): Feed {
  return { name: 'debian-tracker', kind: 'debian-tracker', url: debianTrackerUrl() };
}

function alpineFeeds(release: string): Feed[] {
  return ['main', 'community'].map((repo) => ({
    name: `alpine:${release}:${repo}`,
    kind: 'alpine-secdb' as const,
    url: `${alpineBase()}/${release}/${repo}.json`,
    alpineRelease: release,
  }));
}

export function priorityFeeds(): Feed[] {
  return [
    { name: 'kev', kind: 'kev', url: kevUrl() },
    { name: 'epss', kind: 'epss', url: epssUrl() },
  ];
}

/** A language ecosystem as a user may write it ("npm", "pypi", "golang", "Go") → its OSV name. */
export function languageFeedEcosystem(input: string): string {
  const lower = input.trim().toLowerCase();
  const canonical = canonicalEcosystem(ECOSYSTEM_ALIASES[lower] ?? input.trim());
  if (!canonical || canonical.includes(':'))
    throw new UserError(
      `unknown ecosystem '${input}' (known: ${LANGUAGE_ECOSYSTEMS.join(', ')}; distributions go in --distro)`,
    );
  return canonical;
}

/**
 * The feeds for a distribution release given as "debian:12", "debian:bookworm", "ubuntu:22.04",
 * "alpine:3.20", "rocky:9", "almalinux:9" (or OSV's own "Debian:12", "Alpine:v3.20").
 */
export function distroFeeds(input: string): Feed[] {
  const [rawFamily = '', rawRelease = ''] = input.trim().split(':', 2);
  const family = rawFamily.toLowerCase();
  const release = rawRelease.trim();
  const bad = (why: string) => new UserError(`unknown distribution '${input}': ${why}`);
  switch (family) {
    case 'debian': {
      const number = DEBIAN_RELEASES[release.toLowerCase()] ?? release;
      if (!Object.values(DEBIAN_RELEASES).includes(number))
        throw bad('expected debian:<release number or codename>');
      return [debianTrackerFeed()];
    }
    case 'ubuntu':
      if (!/^\d\d\.\d\d$/.test(release)) throw bad('expected ubuntu:YY.MM');
      return [osvFeed(`Ubuntu:${release}`)];
    case 'alpine': {
      const m = /^v?(\d+\.\d+)/.exec(release);
      if (!m) throw bad('expected alpine:X.Y');
      return alpineFeeds(`v${m[1]}`);
    }
    case 'rocky':
    case 'rocky linux':
    case 'almalinux': {
      const major = /^\d+/.exec(release)?.[0];
      if (!major) throw bad(`expected ${family}:<major release>`);
      return [osvFeed(`${family === 'almalinux' ? 'AlmaLinux' : 'Rocky Linux'}:${major}`)];
    }
    default:
      throw bad('supported: debian, ubuntu, alpine, rocky, almalinux');
  }
}

interface FeedSelection {
  ecosystems?: readonly string[];
  distros?: readonly string[];
  all?: boolean;
}

/** The feeds a selection needs, without duplicates; KEV and EPSS come with any selection. */
export function feedsFor(selection: FeedSelection): Feed[] {
  const feeds: Feed[] = [];
  if (selection.all) {
    feeds.push(...LANGUAGE_ECOSYSTEMS.map(osvFeed), debianTrackerFeed());
    for (const release of ALPINE_RELEASES) feeds.push(...alpineFeeds(release));
    feeds.push(...OSV_DISTRO_FEEDS.map(osvFeed));
  }
  for (const e of selection.ecosystems ?? []) feeds.push(osvFeed(languageFeedEcosystem(e)));
  for (const d of selection.distros ?? []) feeds.push(...distroFeeds(d));
  if (feeds.length > 0) feeds.push(...priorityFeeds());
  const unique = new Map(feeds.map((f) => [f.name, f]));
  return [...unique.values()];
}

/** Feeds to refresh for sources already in a database (plain `db update`). */
export function feedsForSources(names: readonly string[]): Feed[] {
  const feeds: Feed[] = [];
  for (const name of names) {
    if (name === 'debian-tracker') feeds.push(debianTrackerFeed());
    else if (name === 'kev' || name === 'epss') feeds.push(...priorityFeeds().filter((f) => f.name === name));
    else if (name.startsWith('osv:')) feeds.push(osvFeed(name.slice(4)));
    else if (name.startsWith('alpine:')) {
      const [, release, repo] = name.split(':');
      feeds.push(...alpineFeeds(release as string).filter((f) => f.name.endsWith(`:${repo}`)));
    }
  }
  return feeds;
}

/** Whether an affected entry's ecosystem belongs to an OSV feed's ecosystem. */
export function osvFeedAccepts(feedEcosystem: string): (ecosystem: string) => boolean {
  return feedEcosystem.includes(':')
    ? (ecosystem) => ecosystem === feedEcosystem
    : (ecosystem) => baseEcosystem(ecosystem) === feedEcosystem;
}
