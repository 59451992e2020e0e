import { execFileSync, execSync } from 'node:child_process';
import { createHash } from 'node:crypto';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

/**
 * Test images built from Debian's archive: `mmdebstrap | docker import` for the base, and a
 * Dockerfile on that local base for extra layers. Never pulls from Docker Hub. Images are
 * tagged by a hash of what went into them, so each is built once per machine.
 */

function imageExists(tag: string): boolean {
  try {
    execFileSync('docker', ['image', 'inspect', tag], { stdio: 'ignore' });
    return true;
  } catch {
    return false;
  }
}

function hash(s: string): string {
  return createHash('sha256').update(s).digest('hex').slice(0, 12);
}

/** A Debian 12 minbase root filesystem with `include` packages, as a one-layer image. */
export function debianBase(include: string[] = []): string {
  const pkgs = [...new Set(include)].sort();
  const tag = `rf-test/debian12-${hash(pkgs.join(','))}:latest`;
  if (imageExists(tag)) return tag;
  const inc = pkgs.length ? `--include=${pkgs.join(',')}` : '';
  execSync(
    `mmdebstrap --variant=minbase --quiet ${inc} bookworm - http://deb.debian.org/debian | docker import - ${tag}`,
    { stdio: ['ignore', 'ignore', 'inherit'], timeout: 900_000, shell: '/bin/bash' },
  );
  return tag;
}

/**
 * Builds `dockerfile` (its FROM should name a local image) with `files` in the context.
 * Returns the tag, derived from the content so unchanged inputs reuse the image.
 */
export function buildImage(
  name: string,
  dockerfile: string,
  files: Record<string, string | Buffer> = {},
): string {
  const h = createHash('sha256').update(dockerfile);
  for (const [k, v] of Object.entries(files).sort(([a], [b]) => a.localeCompare(b))) h.update(k).update(v);
  const tag = `rf-test/${name}:${h.digest('hex').slice(0, 12)}`;
  if (imageExists(tag)) return tag;
  const ctx = mkdtempSync(join(tmpdir(), 'rf-build-'));
  try {
    writeFileSync(join(ctx, 'Dockerfile'), dockerfile);
    for (const [k, v] of Object.entries(files)) {
      const p = join(ctx, k);
      execFileSync('mkdir', ['-p', join(p, '..')]);
      writeFileSync(p, v);
    }
    execFileSync('docker', ['build', '-q', '-t', tag, ctx], {
      stdio: ['ignore', 'ignore', 'inherit'],
      timeout: 900_000,
    });
  } finally {
    rmSync(ctx, { recursive: true, force: true });
  }
  return tag;
}

/** `docker save` to a file; returns the path. */
export function saveImage(tag: string, dir: string): string {
  const out = join(dir, `${tag.replace(/[^a-zA-Z0-9.-]/g, '_')}.tar`);
  execFileSync('docker', ['save', '-o', out, tag], { timeout: 600_000 });
  return out;
}
