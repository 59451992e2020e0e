import { execFileSync } from 'node:child_process';
import { mkdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { writeZip } from '../../../util/zip-writer.js';

/**
 * The Go toolchain as an oracle (`go version -m`, `go mod edit -json`) and as a builder of
 * real binaries with module dependencies. No module proxy is reachable, so a GOPROXY=file://
 * directory is written here, in the module proxy protocol's layout (list, .info, .mod, .zip).
 */

let checked: boolean | undefined;

/** True when tests must skip: locally without Go (with a printed reason); under CI=true, a failure. */
export function noGo(): boolean {
  if (checked !== undefined) return !checked;
  try {
    execFileSync('go', ['version'], { stdio: 'ignore' });
    checked = true;
  } catch {
    checked = false;
    if (process.env.CI === 'true') throw new Error('CI=true but the go toolchain (golang-go) is missing');
    process.stderr.write('SKIP (go): the go toolchain is not installed (apt-get install golang-go)\n');
  }
  return !checked;
}

interface ProxyModule {
  path: string;
  version: string;
  requires?: string[];
  /** Packages of other modules this one's code calls (so they are linked in). */
  imports?: string[];
}

export interface GoWorkspace {
  root: string;
  app: string;
  env: NodeJS.ProcessEnv;
}

function packageName(path: string): string {
  return (path.split('/').pop() as string).replace(/[^a-z0-9]/g, '');
}

function source(pkg: string, imports: string[]): string {
  const uses = imports.map((p) => `${packageName(p)}.Name()`).join(' + ');
  return `package ${pkg}\n\nimport (\n${imports.map((p) => `\t"${p}"\n`).join('')})\n\nfunc Name() string { return "${pkg}"${uses ? ` + ${uses}` : ''} }\n`;
}

/**
 * A main module `example.com/app` depending on alpha (which imports beta), on gamma replaced
 * by the module gamma-fork, and on a local directory through `replace => ../local`.
 */
export function goWorkspace(root: string): GoWorkspace {
  const modules: ProxyModule[] = [
    { path: 'example.com/beta', version: 'v0.4.0' },
    {
      path: 'example.com/alpha',
      version: 'v1.2.3',
      requires: ['example.com/beta v0.4.0'],
      imports: ['example.com/beta'],
    },
    { path: 'example.com/gamma-fork', version: 'v1.0.1' },
  ];
  const proxy = join(root, 'proxy');
  for (const m of modules) {
    const dir = join(proxy, m.path, '@v');
    mkdirSync(dir, { recursive: true });
    const gomod = `module ${m.path}\n\ngo 1.19\n${(m.requires ?? []).map((r) => `\nrequire ${r}\n`).join('')}`;
    writeFileSync(join(dir, 'list'), `${m.version}\n`);
    writeFileSync(join(dir, `${m.version}.info`), JSON.stringify({ Version: m.version }));
    writeFileSync(join(dir, `${m.version}.mod`), gomod);
    const prefix = `${m.path}@${m.version}/`;
    writeFileSync(
      join(dir, `${m.version}.zip`),
      writeZip([
        { name: `${prefix}go.mod`, data: Buffer.from(gomod) },
        { name: `${prefix}x.go`, data: Buffer.from(source(packageName(m.path), m.imports ?? [])) },
      ]),
    );
  }
  const local = join(root, 'local');
  mkdirSync(local, { recursive: true });
  writeFileSync(join(local, 'go.mod'), 'module example.com/local\n\ngo 1.19\n');
  writeFileSync(join(local, 'x.go'), source('local', []));
  const app = join(root, 'app');
  mkdirSync(app, { recursive: true });
  writeFileSync(
    join(app, 'go.mod'),
    `module example.com/app

go 1.19

require (
	example.com/alpha v1.2.3
	example.com/gamma v1.0.0
	example.com/local v0.0.0
)

require example.com/beta v0.4.0 // indirect

replace example.com/gamma v1.0.0 => example.com/gamma-fork v1.0.1

replace example.com/local => ../local
`,
  );
  writeFileSync(
    join(app, 'main.go'),
    `package main

import (
	"fmt"

	"example.com/alpha"
	gamma "example.com/gamma"
	"example.com/local"
)

var version = "dev"

func main() { fmt.Println(alpha.Name(), gamma.Name(), local.Name(), version) }
`,
  );
  const env = {
    ...process.env,
    GOPROXY: `file://${proxy}`,
    GOSUMDB: 'off',
    GOFLAGS: '-mod=mod -modcacherw',
    GOPATH: join(root, 'gopath'),
    GOTOOLCHAIN: 'local',
    CGO_ENABLED: '0',
  };
  return { root, app, env };
}

/** Builds the workspace's app; returns the binary's path. */
export function goBuild(ws: GoWorkspace, name: string, args: string[], goarch?: string): string {
  const out = join(ws.root, name);
  execFileSync('go', ['build', ...args, '-o', out, '.'], {
    cwd: ws.app,
    env: goarch ? { ...ws.env, GOARCH: goarch } : ws.env,
    stdio: ['ignore', 'ignore', 'pipe'],
    timeout: 300_000,
  });
  return out;
}

/** `go version -m`: the version line, then the module lines without their leading tab. */
export function goVersionM(path: string): { goVersion: string; lines: string[] } {
  const out = execFileSync('go', ['version', '-m', path], { encoding: 'utf8' });
  const [first, ...rest] = out.trimEnd().split('\n');
  const version = /^.*: (go\S+.*)$/.exec(first as string)?.[1];
  if (!version) throw new Error(`go version -m ${path}: unexpected output ${JSON.stringify(first)}`);
  return {
    goVersion: version,
    lines: rest.map((l) => l.replace(/^\t/, '')),
  };
}
