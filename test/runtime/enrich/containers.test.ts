import { mkdirSync, mkdtempSync, rmSync, symlinkSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { ContainerResolver } from '../../../src/runtime/enrich/containers.js';

const HOST_NS = 4026531832;
const A = 'a'.repeat(64);
const B = 'b'.repeat(64);

describe('ContainerResolver: container per mount namespace', () => {
  const root = mkdtempSync(join(tmpdir(), 'rf-proc-'));
  afterAll(() => rmSync(root, { recursive: true, force: true }));
  const proc = (pid: number, cgroup?: string, mntns?: number) => {
    mkdirSync(join(root, String(pid), 'ns'), { recursive: true });
    if (cgroup !== undefined) writeFileSync(join(root, String(pid), 'cgroup'), cgroup);
    if (mntns !== undefined) symlinkSync(`mnt:[${mntns}]`, join(root, String(pid), 'ns', 'mnt'));
  };

  it('places host processes nowhere, and every process of a namespace in its container', () => {
    const r = new ContainerResolver(HOST_NS, root);
    proc(10, `0::/docker/${A}\n`);
    expect(r.resolve(10, HOST_NS, undefined)).toBeUndefined();
    expect(r.resolve(10, 900, undefined)).toEqual({ id: A, runtime: 'docker' });
    // A process already gone (no /proc entry) in the same namespace is still placed.
    expect(r.resolve(11, 900, undefined)).toEqual({ id: A, runtime: 'docker' });
  });

  it('learns namespaces from the runtime and forgets them when the container ends', () => {
    const r = new ContainerResolver(HOST_NS, root);
    proc(20, undefined, 901);
    r.learn({ id: B, runtime: 'docker' }, 20);
    expect(r.resolve(21, 901, undefined)).toEqual({ id: B, runtime: 'docker' });
    r.forget(B);
    expect(r.resolve(21, 901, undefined)).toBeUndefined();
  });

  it('does not read /proc again on every event of a namespace no container owns, but does at a program start', () => {
    const r = new ContainerResolver(HOST_NS, root);
    proc(30);
    expect(r.resolve(30, 902, undefined)).toBeUndefined();
    writeFileSync(join(root, '30', 'cgroup'), `0::/system.slice/docker-${A}.scope\n`);
    expect(r.resolve(30, 902, undefined)).toBeUndefined();
    expect(r.resolve(30, 902, undefined, true)).toEqual({ id: A, runtime: 'docker' });
    expect(r.resolve(31, 902, undefined)).toEqual({ id: A, runtime: 'docker' });
  });
});
