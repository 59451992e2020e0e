import type { SourceWriter } from '../builder.js';
import { type FeedKind, osvFeedAccepts } from '../feeds.js';
import { importAlpineSecdb } from './alpine-secdb.js';
import { importDebianTracker } from './debian-tracker.js';
import { importEpss } from './epss.js';
import { feedBytes } from './feed-stream.js';
import { importKev } from './kev.js';
import { importOsvPath } from './osv-files.js';

/** A feed on local disk, ready to import. */
export interface FeedFile {
  kind: FeedKind;
  path: string;
  /** OSV only: how the records are packed. */
  container?: 'file' | 'directory' | 'zip';
  /** OSV feeds: import only this ecosystem's entries. */
  osvEcosystem?: string;
  /** Alpine feeds fetched by URL know their release. */
  alpineRelease?: string;
}

/** Imports one feed file into a source; throws a UserError when the file is unusable as a whole. */
export async function importFeedFile(writer: SourceWriter, feed: FeedFile): Promise<void> {
  switch (feed.kind) {
    case 'osv':
      await importOsvPath(
        writer,
        feed.path,
        feed.container ?? 'zip',
        feed.osvEcosystem ? { ecosystem: osvFeedAccepts(feed.osvEcosystem) } : {},
      );
      return;
    case 'debian-tracker':
      return importDebianTracker(writer, feedBytes(feed.path), feed.path);
    case 'alpine-secdb':
      return importAlpineSecdb(writer, feedBytes(feed.path), feed.path, feed.alpineRelease);
    case 'kev':
      return importKev(writer, feedBytes(feed.path), feed.path);
    case 'epss':
      return importEpss(writer, feedBytes(feed.path), feed.path);
  }
}
