import { readFileSync, statSync } from 'node:fs';
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { CgroupIndex, containerOfProcess, parseCgroupFile } from '../../../src/runtime/enrich/cgroup.js';
import { kubernetesFromLabels } from '../../../src/runtime/enrich/kubernetes.js';
import { containerOfMounts, parseMountInfo } from '../../../src/runtime/enrich/mountinfo.js';

describe('parseMountInfo', () => {
  it('reads /proc/self/mountinfo: every line, with / mounted and escapes undone', () => {
    const text = readFileSync('/proc/self/mountinfo', 'utf8');
    const mounts = parseMountInfo(text);
    expect(mounts).toHaveLength(text.trim().split('\n').length);
    expect(mounts.some((m) => m.mountPoint === '/')).toBe(true);
    expect(mounts.find((m) => m.mountPoint === '/proc')?.fsType).toBe('proc');
    for (const m of mounts) expect(m.mountPoint.startsWith('/')).toBe(true);
  });

  it('undoes the octal escapes of spaces, tabs, newlines and backslashes; optional fields skipped', () => {
    const line =
      '36 35 98:0 /my\\040dir\\011x /mnt/a\\134b\\012c rw,noatime master:1 shared:2 - ext3 /dev/my\\040disk rw';
    expect(parseMountInfo(line)).toEqual([
      { root: '/my dir\tx', mountPoint: '/mnt/a\\b\nc', fsType: 'ext3', source: '/dev/my disk' },
    ]);
    expect(parseMountInfo('36 35 98:0 / /mnt rw - ext3')).toEqual([]);
  });

  it('never throws on arbitrary text, and only returns what the lines hold (property)', () => {
    fc.assert(
      fc.property(fc.string({ maxLength: 400 }), (s) => {
        for (const m of parseMountInfo(s)) expect(typeof m.fsType).toBe('string');
      }),
    );
  });
});

describe('parseCgroupFile', () => {
  it('reads /proc/self/cgroup', () => {
    const lines = parseCgroupFile(readFileSync('/proc/self/cgroup', 'utf8'));
    expect(lines.length).toBeGreaterThan(0);
    for (const l of lines) expect(l.path.startsWith('/')).toBe(true);
    const v2 = lines.find((l) => l.hierarchy === 0);
    if (v2) expect(v2.controllers).toEqual([]);
  });

  it('v1 controllers, named hierarchies, paths with colons; junk lines skipped', () => {
    expect(parseCgroupFile('4:cpu,cpuacct:/a:b\n1:name=systemd:/x\n0::/\nbad\nx:y:z\n')).toEqual([
      { hierarchy: 4, controllers: ['cpu', 'cpuacct'], path: '/a:b' },
      { hierarchy: 1, controllers: ['name=systemd'], path: '/x' },
      { hierarchy: 0, controllers: [], path: '/' },
    ]);
  });

  it('never throws on arbitrary text (property)', () => {
    fc.assert(
      fc.property(fc.string({ maxLength: 400 }), (s) => {
        for (const l of parseCgroupFile(s)) expect(Number.isInteger(l.hierarchy)).toBe(true);
      }),
    );
  });
});

describe('this process', () => {
  it('is not in a container, by its cgroups or its mounts; a gone process is undefined', () => {
    const inContainer = /docker|kubepods|libpod|crio/.test(readFileSync('/proc/self/cgroup', 'utf8'));
    if (!inContainer) expect(containerOfProcess(process.pid)).toBeUndefined();
    expect(containerOfProcess(0x7fffffff)).toBeUndefined();
    expect(containerOfMounts(0x7fffffff)).toBeUndefined();
  });

  it('CgroupIndex maps the cgroup v2 id of this process to its path', () => {
    const path = /^0::(.*)$/m.exec(readFileSync('/proc/self/cgroup', 'utf8'))?.[1];
    const index = new CgroupIndex();
    if (path === undefined) return;
    const { ino } = statSync(`/sys/fs/cgroup${path}`);
    expect(index.pathOf(ino)).toBe(path === '' ? '/' : path);
    expect(index.pathOf(2 ** 40)).toBeUndefined();
  });
});

describe('kubernetesFromLabels', () => {
  it("a pod's identity from the kubelet's labels; none for other containers", () => {
    expect(
      kubernetesFromLabels({
        'io.kubernetes.pod.name': 'web-0',
        'io.kubernetes.pod.namespace': 'shop',
        'io.kubernetes.pod.uid': 'u-1',
        'io.kubernetes.container.name': 'web',
      }),
    ).toEqual({ ns: 'shop', pod: 'web-0', podUid: 'u-1' });
    expect(kubernetesFromLabels({ 'io.kubernetes.pod.namespace': 'kube-system' })).toEqual({
      ns: 'kube-system',
    });
    expect(kubernetesFromLabels({ maintainer: 'x' })).toBeUndefined();
    expect(kubernetesFromLabels(undefined)).toBeUndefined();
    expect(kubernetesFromLabels({ constructor: 'x' } as Record<string, string>)).toBeUndefined();
  });
});
