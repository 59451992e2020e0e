import { stat } from 'node:fs/promises';
import { basename, dirname, resolve as resolvePath } from 'node:path';
import type { ScanMode } from '../inventory/analyzer.js';
import { type SbomKind, sniffSbomFile } from '../inventory/sbom/detect.js';
import { errorMessage, inputError, UserError } from '../util/errors.js';
import { type ArchiveStore, DirectoryArchiveStore, TarArchiveStore } from './archive-store.js';
import type { DirectoryMode } from './directory.js';
import { openDockerArchive } from './docker-archive.js';
import { isDataError } from './format-error.js';
import { inflateArchive } from './inflate-archive.js';
import { openNamedImage, type PullOptions } from './named-image.js';
import { openOciLayout } from './oci-layout.js';
import { type Platform, parsePlatform } from './platform.js';
import { isImageReference, referenceProblem } from './registry/reference.js';
import type { ImageSource } from './source.js';

/**
 * Recognises what the user asked to scan, as Trivy users expect: an image archive file
 * (docker-archive or OCI, told apart by content), an OCI layout directory (PATH:REF picks a
 * ref name), `--input FILE`, a directory to walk, or an explicit `scheme:` prefix. Each kind of
 * source is one resolver in RESOLVERS; the first that recognises the argument wins.
 */

export type ScanTarget =
  | { kind: 'image'; image: ImageSource }
  | {
      kind: 'directory';
      mode: DirectoryMode;
      /** Absolute path of the walk's root. */
      root: string;
      /** A single file under `root` to scan instead of the whole tree (`fs FILE`). */
      only?: string;
      ref: string;
    }
  | { kind: 'sbom'; sbom: SbomKind; path: string; ref: string };

interface ResolveOptions {
  /** 'image' takes only image sources, 'rootfs'/'fs' walk a directory; unset decides from the argument. */
  mode?: ScanMode;
  /** `--platform os/arch[/variant]` for multi-platform images. */
  platform?: string;
  /** `--input FILE`: an image archive, instead of the argument. */
  input?: string;
  /** Scratch space the source may use until the scan ends. */
  workDir: string;
  /** Image references: which sources to try, registry TLS and credentials. */
  pull?: PullOptions;
}

/** ResolveOptions with the platform already parsed (a bad --platform fails before anything is read). */
interface Context extends Omit<ResolveOptions, 'platform'> {
  platform?: Platform;
}

type Resolver = (arg: string, context: Context) => Promise<ScanTarget | undefined>;

type ArchiveKind = 'docker-archive' | 'oci';

/** Explicit prefixes, as Syft and skopeo users write them. */
const SCHEMES: Record<string, (path: string, context: Context) => Promise<ScanTarget>> = {
  'docker-archive': (p, o) => openArchivePath(p, o, 'docker-archive'),
  'oci-archive': (p, o) => openOciPath(p, o),
  'oci-dir': (p, o) => openOciPath(p, o),
  oci: (p, o) => openOciPath(p, o),
  rootfs: (p) => directoryTarget(p, 'rootfs'),
  fs: (p) => directoryTarget(p, 'fs'),
  dir: (p) => directoryTarget(p, 'fs'),
  sbom: async (p) => {
    const target = await sbomTarget(p);
    if (!target) throw inputError(p, 'not a CycloneDX or SPDX document');
    return target;
  },
};

const RESOLVERS: Resolver[] = [
  async (arg, o) => {
    const m = /^([a-z][a-z-]*):(.+)$/.exec(arg);
    const open = m ? SCHEMES[m[1]!] : undefined;
    return open ? open(m![2]!, o) : undefined;
  },
  async (arg, o) => ((await statOrUndefined(arg)) ? openPath(arg, o) : undefined),
  async (arg, o) => {
    const m = /^(.+):([A-Za-z0-9._-]+)$/.exec(arg);
    if (!m || !(await isOciLayout(m[1]!))) return undefined;
    return openArchivePath(m[1]!, o, 'oci', m[2]);
  },
  async (arg, o) => {
    if (o.mode === 'rootfs' || o.mode === 'fs' || !looksLikeImageReference(arg)) return undefined;
    const image = await openNamedImage(arg, { ...o.pull, platform: o.platform, workDir: o.workDir });
    return { kind: 'image', image };
  },
];

export async function resolveSource(arg: string | undefined, options: ResolveOptions): Promise<ScanTarget> {
  const context: Context = {
    ...options,
    platform: options.platform ? parsePlatform(options.platform) : undefined,
  };
  if (options.input !== undefined) {
    if (arg !== undefined) throw new UserError('give either a SOURCE argument or --input FILE, not both');
    return (await sbomTarget(options.input)) ?? openArchivePath(options.input, context);
  }
  if (arg === undefined || arg === '')
    throw new UserError('missing SOURCE (an image reference, image archive, OCI layout or directory)');
  for (const resolver of RESOLVERS) {
    const target = await resolver(arg, context);
    if (target) return target;
  }
  const problem =
    options.mode === 'rootfs' || options.mode === 'fs' || /^[./]/.test(arg)
      ? undefined
      : referenceProblem(arg);
  throw inputError(
    arg,
    `no such file or directory${problem ? `, nor a valid image reference (${problem})` : ''}`,
  );
}

async function openPath(path: string, context: Context): Promise<ScanTarget> {
  const { mode } = context;
  const st = await stat(path);
  if (st.isDirectory()) {
    if (mode !== 'rootfs' && mode !== 'fs') {
      const layout = await layoutKind(path);
      if (layout) return openArchivePath(path, context, layout);
      if (mode === 'image')
        throw inputError(
          path,
          'not an image: a directory needs index.json (OCI layout) or manifest.json (docker save)',
        );
    }
    return directoryTarget(path, mode === 'rootfs' ? 'rootfs' : 'fs');
  }
  if (mode === 'rootfs') throw inputError(path, 'not a directory');
  const sbom = await sbomTarget(path, mode);
  if (sbom) return sbom;
  if (mode === 'fs') return directoryTarget(path, 'fs');
  return openArchivePath(path, context);
}

/** Opens an image archive (tar file, compressed tar, or unpacked directory) of the given or sniffed kind. */
async function openArchivePath(
  path: string,
  context: Context,
  want?: ArchiveKind,
  refName?: string,
): Promise<ScanTarget> {
  try {
    const st = await stat(path);
    let store: ArchiveStore;
    if (st.isDirectory()) store = await DirectoryArchiveStore.open(path);
    else if (st.isFile()) {
      const plain = await inflateArchive(path, context.workDir);
      store = await TarArchiveStore.open(plain ?? path, path);
    } else throw inputError(path, 'not a regular file or directory');
    const kind = want ?? (await archiveKind(store));
    if (!kind)
      throw inputError(
        path,
        'not an image archive: it has neither manifest.json (docker save) nor index.json (OCI layout)',
      );
    const image =
      kind === 'docker-archive' && refName === undefined
        ? await openDockerArchive(store, path)
        : await openOciLayout(store, path, { platform: context.platform, refName });
    return { kind: 'image', image };
  } catch (err) {
    if (err instanceof UserError) throw err;
    if (isDataError(err)) throw inputError(path, describe(err), err);
    throw err;
  }
}

/** An OCI layout, optionally with `:REF` naming one of its images (skopeo's `oci:DIR:REF`). */
async function openOciPath(path: string, context: Context): Promise<ScanTarget> {
  const m = /^(.+):([A-Za-z0-9._-]+)$/.exec(path);
  if (m && !(await statOrUndefined(path)) && (await statOrUndefined(m[1]!)))
    return openArchivePath(m[1]!, context, 'oci', m[2]);
  return openArchivePath(path, context, 'oci');
}

/** PATH of PATH:REF: an archive file, or a directory with an OCI index (not just any directory). */
async function isOciLayout(path: string): Promise<boolean> {
  const st = await statOrUndefined(path);
  if (!st?.isDirectory()) return st?.isFile() ?? false;
  const store = await DirectoryArchiveStore.open(path);
  return (await store.size('index.json')) !== undefined;
}

async function archiveKind(store: ArchiveStore): Promise<ArchiveKind | undefined> {
  if ((await store.size('manifest.json')) !== undefined) return 'docker-archive';
  if ((await store.size('index.json')) !== undefined) return 'oci';
  return undefined;
}

async function layoutKind(dir: string): Promise<ArchiveKind | undefined> {
  return archiveKind(await DirectoryArchiveStore.open(dir));
}

/** An SBOM file (CycloneDX, SPDX), recognised by its content; in fs mode other JSON is a file to scan. */
async function sbomTarget(path: string, mode?: ScanMode): Promise<ScanTarget | undefined> {
  const sbom = await sniffSbomFile(path);
  if (!sbom || (sbom === 'json' && mode === 'fs')) return undefined;
  return { kind: 'sbom', sbom, path, ref: path };
}

async function directoryTarget(path: string, mode: DirectoryMode): Promise<ScanTarget> {
  const st = await statOrUndefined(path);
  if (!st) throw inputError(path, 'no such file or directory');
  const abs = resolvePath(path);
  if (st.isDirectory()) return { kind: 'directory', mode, root: abs, ref: path };
  if (mode === 'fs' && st.isFile())
    return { kind: 'directory', mode, root: dirname(abs), only: basename(abs), ref: path };
  throw inputError(path, 'not a directory');
}

async function statOrUndefined(path: string) {
  try {
    return await stat(path);
  } catch (err) {
    const code = (err as NodeJS.ErrnoException).code;
    if (code === 'ENOENT' || code === 'ENOTDIR' || code === 'ENAMETOOLONG') return undefined;
    throw inputError(path, `cannot read (${code ?? errorMessage(err)})`, err);
  }
}

/** A valid reference in Docker's grammar that does not name a (missing) image archive file. */
function looksLikeImageReference(arg: string): boolean {
  return isImageReference(arg) && !/\.(tar(\.[a-z0-9]+)?|tgz)$/.test(arg);
}

function describe(err: Error): string {
  const code = (err as NodeJS.ErrnoException).code;
  if (code && (err as NodeJS.ErrnoException).syscall) return `cannot read (${code})`;
  return err.message;
}
