import { execFileSync } from 'node:child_process';
import { mkdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';

/**
 * Cargo as builder and oracle. crates.io is unreachable, so the workspace uses path
 * dependencies only: an app, a library it uses, and a crate used only by its build script.
 */

let available: boolean | undefined;

/** True when tests must skip: locally without cargo (with a printed reason); under CI=true, a failure. */
export function noCargo(): boolean {
  if (available !== undefined) return !available;
  try {
    execFileSync('cargo', ['--version'], { stdio: 'ignore' });
    available = true;
  } catch {
    available = false;
    if (process.env.CI === 'true') throw new Error('CI=true but cargo is missing');
    process.stderr.write('SKIP (cargo): cargo is not installed (apt-get install cargo)\n');
  }
  return !available;
}

function crate(
  root: string,
  name: string,
  version: string,
  manifest: string,
  files: Record<string, string>,
): void {
  mkdirSync(join(root, name, 'src'), { recursive: true });
  writeFileSync(
    join(root, name, 'Cargo.toml'),
    `[package]\nname = "${name}"\nversion = "${version}"\nedition = "2021"\n${manifest}`,
  );
  for (const [path, text] of Object.entries(files)) writeFileSync(join(root, name, path), text);
}

export function cargoWorkspace(root: string): void {
  writeFileSync(
    join(root, 'Cargo.toml'),
    '[workspace]\nmembers = ["app", "util", "buildhelper"]\nresolver = "2"\n',
  );
  crate(root, 'util', '0.3.1', '', { 'src/lib.rs': 'pub fn answer() -> u32 { 42 }\n' });
  crate(root, 'buildhelper', '1.0.0', '', { 'src/lib.rs': 'pub fn stamp() -> &\'static str { "built" }\n' });
  crate(
    root,
    'app',
    '2.5.0',
    '\n[dependencies]\nutil = { path = "../util" }\n\n[build-dependencies]\nbuildhelper = { path = "../buildhelper" }\n',
    {
      'build.rs': 'fn main() { println!("cargo:rustc-env=STAMP={}", buildhelper::stamp()); }\n',
      'src/main.rs': 'fn main() { println!("{} {}", util::answer(), env!("STAMP")); }\n',
    },
  );
}

export function cargo(root: string, args: string[]): string {
  return execFileSync('cargo', [...args, '--offline'], {
    cwd: root,
    encoding: 'utf8',
    stdio: ['ignore', 'pipe', 'pipe'],
    timeout: 300_000,
    env: { ...process.env, CARGO_TARGET_DIR: join(root, 'target') },
  });
}

export interface MetadataPackage {
  id: string;
  name: string;
  version: string;
  source: string | null;
}

export interface Metadata {
  packages: MetadataPackage[];
  resolve: {
    root: string;
    nodes: { id: string; deps: { pkg: string; dep_kinds: { kind: string | null }[] }[] }[];
  };
}

/** `cargo metadata`: cargo's own view of the resolved graph. */
export function cargoMetadata(root: string): Metadata {
  return JSON.parse(cargo(join(root, 'app'), ['metadata', '--format-version', '1']));
}
