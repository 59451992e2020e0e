import { type Command, Option } from 'commander';
import { UserError } from '../util/errors.js';
import { log } from '../util/log.js';
import { writeResult } from '../util/output.js';
import { createProgress, formatBytes } from '../util/progress.js';
import { feedsFor, feedsForSources } from '../vuln/db/feeds.js';
import { openVulnDb } from '../vuln/db/query.js';
import {
  importIntoVulnDb,
  liveSources,
  type UpdateReport,
  updateVulnDb,
  vulnDbPath,
} from '../vuln/db/update.js';

interface Globals {
  quiet?: boolean;
}

const formatOption = () =>
  new Option('--format <format>', 'output format').choices(['table', 'json']).default('table');

export function registerDb(program: Command): void {
  const db = program.command('db').description('the vulnerability database: update, import, status');

  db.command('update')
    .description(
      'fetch advisory feeds (conditionally) and rebuild the database; without flags, refresh what it has',
    )
    .option(
      '--ecosystem <name...>',
      'language ecosystems: npm, PyPI, Go, crates.io, Maven, RubyGems, NuGet, Packagist, Hex, Pub',
    )
    .option(
      '--distro <release...>',
      'distribution releases: debian:12, ubuntu:22.04, alpine:3.20, rocky:9, almalinux:9',
    )
    .option('--all', 'every supported feed')
    .addOption(formatOption())
    .option('-o, --output <file>', 'write the summary to a file')
    .action(
      async (
        opts: { ecosystem?: string[]; distro?: string[]; all?: boolean; format: string; output?: string },
        cmd: Command,
      ) => {
        let feeds = feedsFor({ ecosystems: opts.ecosystem, distros: opts.distro, all: opts.all });
        if (feeds.length === 0) {
          feeds = feedsForSources([...liveSources(vulnDbPath()).keys()]);
          if (feeds.length === 0)
            throw new UserError(
              'the database has no feeds yet: name them (--ecosystem npm, --distro debian:12) or use --all',
            );
        }
        const progress = createProgress({ quiet: (cmd.optsWithGlobals() as Globals).quiet });
        const report = await updateVulnDb(feeds, { onStep: (line) => progress.update(line) }).finally(() =>
          progress.done(),
        );
        await printReport(report, opts.format, opts.output);
      },
    );

  db.command('import')
    .description(
      'import local feed files (OSV JSON, zip or directory; Debian tracker, Alpine secdb, KEV JSON; EPSS CSV)',
    )
    .argument('<path...>', 'files or directories')
    .addOption(formatOption())
    .option('-o, --output <file>', 'write the summary to a file')
    .action(async (paths: string[], opts: { format: string; output?: string }, cmd: Command) => {
      const progress = createProgress({ quiet: (cmd.optsWithGlobals() as Globals).quiet });
      const report = await importIntoVulnDb(paths, { onStep: (line) => progress.update(line) }).finally(() =>
        progress.done(),
      );
      await printReport(report, opts.format, opts.output);
    });

  db.command('status')
    .description('sources, record counts and age of the database')
    .addOption(formatOption())
    .option('-o, --output <file>', 'write to a file')
    .action(async (opts: { format: string; output?: string }) => {
      const path = vulnDbPath();
      const vulnDb = openVulnDb(path);
      try {
        const sources = vulnDb.sources();
        const empty = vulnDb.isEmpty();
        if (opts.format === 'json') {
          await writeResult(`${JSON.stringify({ path, empty, sources }, null, 2)}\n`, opts.output);
          return;
        }
        const now = Date.now();
        const rows = sources.map((s) => [
          s.name,
          s.kind,
          String(s.records),
          String(s.skipped),
          age(now - s.importedAt.getTime()),
          age(now - s.checkedAt.getTime()),
          s.url,
        ]);
        const header = `database ${path}${empty ? ' (EMPTY: no advisories imported)' : ''}\n`;
        await writeResult(
          header + table(['SOURCE', 'KIND', 'RECORDS', 'SKIPPED', 'IMPORTED', 'CHECKED', 'URL'], rows),
          opts.output,
        );
      } finally {
        vulnDb.close();
      }
    });
}

async function printReport(report: UpdateReport, format: string, output?: string): Promise<void> {
  for (const f of report.feeds) {
    for (const w of f.warnings.slice(0, 5)) log.warn(w);
    if (f.warningCount > 5) log.warn(`${f.name}: ${f.warningCount - 5} more warnings`);
  }
  if (format === 'json') await writeResult(`${JSON.stringify(report, null, 2)}\n`, output);
  else {
    const rows = report.feeds.map((f) => [
      f.name,
      f.state,
      f.records === undefined ? '' : String(f.records),
      f.skipped === undefined ? '' : String(f.skipped),
      f.bytes === undefined ? '' : formatBytes(f.bytes),
      f.error ?? '',
    ]);
    await writeResult(table(['FEED', 'STATE', 'RECORDS', 'SKIPPED', 'DOWNLOADED', 'ERROR'], rows), output);
  }
  const failed = report.feeds.filter((f) => f.state === 'failed');
  if (failed.length > 0)
    throw new UserError(
      `${failed.length} feed(s) failed (${failed.map((f) => f.name).join(', ')}); ${report.rebuilt ? 'the others were updated' : 'the database is unchanged'}: ${failed[0]?.error}`,
    );
}

function table(header: string[], rows: string[][]): string {
  const widths = header.map((h, i) => Math.max(h.length, ...rows.map((r) => (r[i] ?? '').length)));
  const line = (cells: string[]) =>
    cells
      .map((c, i) => (i === cells.length - 1 ? c : c.padEnd(widths[i] as number)))
      .join('  ')
      .trimEnd();
  return `${[line(header), ...rows.map(line)].join('\n')}\n`;
}

function age(ms: number): string {
  const minutes = Math.floor(ms / 60_000);
  if (minutes < 1) return 'just now';
  if (minutes < 60) return `${minutes}m ago`;
  const hours = Math.floor(minutes / 60);
  if (hours < 48) return `${hours}h ago`;
  return `${Math.floor(hours / 24)}d ago`;
}
