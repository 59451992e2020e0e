import { execFileSync } from 'node:child_process';
import { mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';

/**
 * The JDK as builder of real archives (`jar`, `javac`) and as oracle (java.util.Properties and
 * java.util.jar.Manifest, through Oracle.java).
 */

let available: boolean | undefined;

/** True when tests must skip: locally without a JDK (with a printed reason); under CI=true, a failure. */
export function noJdk(): boolean {
  if (available !== undefined) return !available;
  try {
    for (const tool of ['java', 'javac', 'jar']) execFileSync(tool, ['--version'], { stdio: 'ignore' });
    available = true;
  } catch {
    available = false;
    if (process.env.CI === 'true') throw new Error('CI=true but the JDK (default-jdk-headless) is missing');
    process.stderr.write(
      'SKIP (jdk): java, javac or jar is not installed (apt-get install default-jdk-headless)\n',
    );
  }
  return !available;
}

const ORACLE = new URL('./Oracle.java', import.meta.url).pathname;

/** What the JDK reads from each file: its key → value map, or undefined where it refuses the file. */
export function jdkRead(
  kind: 'properties' | 'manifest',
  files: Buffer[],
): (Map<string, string> | undefined)[] {
  const dir = mkdtempSync(join(tmpdir(), 'rf-jdk-'));
  try {
    const paths = files.map((f, i) => {
      const p = join(dir, String(i));
      writeFileSync(p, f);
      return p;
    });
    const out = execFileSync('java', [ORACLE, kind, ...paths], {
      encoding: 'utf8',
      maxBuffer: 64 * 1024 * 1024,
    });
    const unhex = (h: string) => Buffer.from(h, 'hex').toString('utf8');
    return out
      .split('\n')
      .slice(0, files.length)
      .map((line) =>
        line === 'ERROR'
          ? undefined
          : new Map(
              line
                .split('\t')
                .filter(Boolean)
                .map((kv) => kv.split('=').map(unhex) as [string, string]),
            ),
      );
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}

/**
 * Builds an archive with the `jar` tool from `files` (path → content). `manifest` replaces the
 * default one; `stored` writes entries uncompressed (as Spring Boot stores BOOT-INF/lib).
 */
export function makeJar(
  out: string,
  files: Record<string, string | Buffer>,
  options: { manifest?: string; stored?: boolean } = {},
): string {
  const dir = mkdtempSync(join(tmpdir(), 'rf-jar-'));
  try {
    for (const [name, data] of Object.entries(files)) {
      mkdirSync(dirname(join(dir, 'root', name)), { recursive: true });
      writeFileSync(join(dir, 'root', name), data);
    }
    mkdirSync(join(dir, 'root'), { recursive: true });
    mkdirSync(dirname(out), { recursive: true });
    // A fixed entry date makes the archive reproducible, so images built from it are reused.
    const args = ['--create', '--file', out, '--date=2024-01-01T00:00:00Z'];
    if (options.stored) args.push('--no-compress');
    if (options.manifest !== undefined) {
      writeFileSync(join(dir, 'MANIFEST.MF'), options.manifest);
      args.push('--manifest', join(dir, 'MANIFEST.MF'));
    }
    execFileSync('jar', [...args, '-C', join(dir, 'root'), '.'], { stdio: ['ignore', 'ignore', 'pipe'] });
    return out;
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}

/** A compiled class, so archives hold what real ones hold. */
export function compiledClass(pkg: string, name: string): Buffer {
  const dir = mkdtempSync(join(tmpdir(), 'rf-javac-'));
  try {
    const src = join(dir, `${name}.java`);
    writeFileSync(
      src,
      `package ${pkg};\npublic class ${name} { public static String hello() { return "${name}"; } }\n`,
    );
    execFileSync('javac', ['-d', dir, src], { stdio: ['ignore', 'ignore', 'pipe'] });
    return readFileSync(join(dir, ...pkg.split('.'), `${name}.class`));
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}
