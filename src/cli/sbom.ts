import { type Command, Option } from 'commander';
import { sbomFormats } from '../inventory/formats.js';
import { type ScanProgress, scanSource } from '../inventory/scan.js';
import { log } from '../util/log.js';
import { writeResult } from '../util/output.js';
import { createProgress, formatBytes } from '../util/progress.js';
import { addImageSourceFlags, type ImageSourceFlags, imageSourceOptions } from './source-flags.js';

export function registerSbom(program: Command): void {
  const command = program
    .command('sbom')
    .description(
      'list what is inside an image or directory (image reference, image archive, OCI layout, rootfs:DIR, fs:DIR, SBOM file), as a table, JSON, CycloneDX or SPDX',
    )
    .argument(
      '[source]',
      'image reference (Docker daemon or registry), docker-archive or OCI tar, OCI layout directory (PATH[:REF]), a directory, or a CycloneDX or SPDX JSON file',
    )
    .addOption(
      new Option(
        '-f, --format <format>',
        'output format (cyclonedx: CycloneDX 1.6 JSON, spdx-json: SPDX 2.3 JSON)',
      )
        .choices(Object.keys(sbomFormats))
        .default('table'),
    )
    .option('-o, --output <file>', 'write the document to FILE (atomically) instead of stdout');
  addImageSourceFlags(command).action(async (source: string | undefined, opts: SbomOptions, cmd: Command) => {
    const { quiet } = cmd.optsWithGlobals() as { quiet?: boolean };
    const progress = createProgress({ quiet });
    const inventory = await scanSource(source, {
      ...imageSourceOptions(opts),
      onProgress: layerProgress(progress),
    }).finally(() => progress.done());
    for (const w of inventory.warnings) log.warn(w);
    await writeResult(sbomFormats[opts.format]!(inventory), opts.output);
  });
}

interface SbomOptions extends ImageSourceFlags {
  format: string;
  output?: string;
}

/** Progress line for layers read by scanSource (shared with the vulnerability scan commands). */
export function layerProgress(progress: ReturnType<typeof createProgress>): (e: ScanProgress) => void {
  let current = '';
  let read = 0;
  let size: number | undefined;
  return (e) => {
    if (e.type === 'layer') {
      current = `layer ${e.index + 1}/${e.total} ${e.diffId.slice(7, 19)}${e.cached ? ' (cached)' : ''}`;
      read = 0;
      size = e.size;
    } else read += e.bytes;
    progress.update(
      read > 0 ? `${current} ${formatBytes(read)}${size ? ` / ${formatBytes(size)}` : ''}` : current,
    );
  };
}
