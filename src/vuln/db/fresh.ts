import { errorMessage, UserError } from '../../util/errors.js';
import { log } from '../../util/log.js';
import { distroFeeds, type Feed, languageFeedEcosystem, osvFeed, priorityFeeds } from './feeds.js';
import { liveSources, updateVulnDb, vulnDbDir, vulnDbPath } from './update.js';

interface FreshnessRequest {
  /** Language ecosystems in the scan: OSV names or purl types ("npm", "pypi", "golang"). */
  ecosystems?: readonly string[];
  /** Distribution releases in the scan: "debian:12", "alpine:3.20.3", "ubuntu:22.04". */
  distros?: readonly string[];
  /** Feeds checked more recently than this are not fetched again (default 24 hours). */
  maxAgeMs?: number;
  /** `--skip-db-update`: never touch the network. */
  skipUpdate?: boolean;
  dir?: string;
}

interface Freshness {
  /** The database to open. */
  path: string;
  /** Feeds that were fetched and changed. */
  updated: string[];
  /** Problems to show the user (offline, unsupported distribution); never fatal. */
  warnings: string[];
}

const DEFAULT_MAX_AGE_MS = 24 * 60 * 60 * 1000;

/**
 * Makes sure the database has the feeds a scan needs, fetching only those missing or older
 * than `maxAgeMs`. Being offline, or an update that fails, is a warning: the scan goes on
 * with what the database has.
 */
export async function ensureFresh(request: FreshnessRequest): Promise<Freshness> {
  const result = await refresh(request);
  for (const w of result.warnings) log.warn(w);
  return result;
}

async function refresh(request: FreshnessRequest): Promise<Freshness> {
  const dir = request.dir ?? vulnDbDir();
  const result: Freshness = { path: vulnDbPath(dir), updated: [], warnings: [] };
  const feeds = new Map<string, Feed>();
  const add = (make: () => Feed[]) => {
    try {
      for (const f of make()) feeds.set(f.name, f);
    } catch (err) {
      if (!(err instanceof UserError)) throw err;
      result.warnings.push(`no advisory feed: ${err.message}`);
    }
  };
  for (const e of request.ecosystems ?? []) add(() => [osvFeed(languageFeedEcosystem(e))]);
  for (const d of request.distros ?? []) add(() => distroFeeds(d));
  if (feeds.size === 0 || request.skipUpdate) return result;
  for (const f of priorityFeeds()) feeds.set(f.name, f);

  const maxAge = request.maxAgeMs ?? DEFAULT_MAX_AGE_MS;
  let known: ReturnType<typeof liveSources>;
  try {
    known = liveSources(result.path);
  } catch (err) {
    result.warnings.push(`vulnerability database not updated: ${errorMessage(err)}`);
    return result;
  }
  const now = Date.now();
  const stale = [...feeds.values()].filter((f) => {
    const s = known.get(f.name);
    return !s || s.url !== f.url || now - s.checkedAt.getTime() > maxAge;
  });
  if (stale.length === 0) return result;
  try {
    const report = await updateVulnDb(stale, { dir });
    for (const f of report.feeds) {
      if (f.state === 'updated') result.updated.push(f.name);
      if (f.state === 'failed') result.warnings.push(`vulnerability feed ${f.name} not updated: ${f.error}`);
    }
  } catch (err) {
    if (!(err instanceof UserError)) throw err;
    result.warnings.push(`vulnerability database not updated: ${err.message}`);
  }
  return result;
}
