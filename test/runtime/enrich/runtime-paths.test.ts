import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { containerFromCgroupFile } from '../../../src/runtime/enrich/cgroup.js';
import { containerFromMountInfo } from '../../../src/runtime/enrich/mountinfo.js';
import { containerFromCgroup, containerFromMountSource } from '../../../src/runtime/enrich/runtime-paths.js';

const ID = 'f3b1c9d2e4a5b6c7d8e9f0a1b2c3d4e5f6a7b8c9d0e1f2a3b4c5d6e7f8a9b0c1';
const POD = '8d8a6c2e-1b5f-4c0a-9e7d-3f2b1a0c9d8e';

describe('containerFromCgroup', () => {
  it('Docker with the cgroupfs driver, v1 and v2', () => {
    expect(containerFromCgroup(`/docker/${ID}`)).toEqual({ id: ID, runtime: 'docker' });
    // Docker in Docker: the innermost id wins.
    const outer = 'a'.repeat(64);
    expect(containerFromCgroup(`/docker/${outer}/docker/${ID}`)).toEqual({ id: ID, runtime: 'docker' });
  });

  it('Docker with the systemd driver', () => {
    expect(containerFromCgroup(`/system.slice/docker-${ID}.scope`)).toEqual({ id: ID, runtime: 'docker' });
  });

  it('containerd under Kubernetes, with the pod uid (systemd and cgroupfs drivers)', () => {
    expect(
      containerFromCgroup(
        `/kubepods.slice/kubepods-burstable.slice/kubepods-burstable-pod${POD.replace(/-/g, '_')}.slice/cri-containerd-${ID}.scope`,
      ),
    ).toEqual({ id: ID, runtime: 'containerd', podUid: POD });
    expect(containerFromCgroup(`/kubepods/besteffort/pod${POD}/${ID}`)).toEqual({
      id: ID,
      runtime: 'containerd',
      podUid: POD,
    });
  });

  it('CRI-O and Podman, and their conmon cgroups are not containers', () => {
    expect(
      containerFromCgroup(`/kubepods.slice/kubepods-pod${POD.replace(/-/g, '_')}.slice/crio-${ID}.scope`),
    ).toEqual({
      id: ID,
      runtime: 'cri-o',
      podUid: POD,
    });
    expect(containerFromCgroup(`/kubepods.slice/crio-conmon-${ID}.scope`)).toBeUndefined();
    expect(containerFromCgroup(`/machine.slice/libpod-${ID}.scope`)).toEqual({ id: ID, runtime: 'podman' });
    expect(containerFromCgroup(`/machine.slice/libpod-${ID}.scope/container`)).toEqual({
      id: ID,
      runtime: 'podman',
    });
    expect(
      containerFromCgroup(`/user.slice/user-1000.slice/user@1000.service/user.slice/libpod-${ID}`),
    ).toEqual({
      id: ID,
      runtime: 'podman',
    });
    expect(containerFromCgroup(`/machine.slice/libpod-conmon-${ID}.scope`)).toBeUndefined();
  });

  it('host cgroups are not containers', () => {
    for (const p of [
      '/',
      '/user.slice/user-0.slice/session-1.scope',
      '/system.slice/docker.service',
      '/init.scope',
      '',
    ]) {
      expect(containerFromCgroup(p), p).toBeUndefined();
    }
    expect(containerFromCgroup(`/system.slice/docker-${ID.slice(1)}.scope`)).toBeUndefined();
    expect(containerFromCgroup(`/docker/${ID.toUpperCase()}`)).toBeUndefined();
  });

  it('never throws, and only ever returns a 64-hex id found in the path (property)', () => {
    fc.assert(
      fc.property(fc.string({ maxLength: 300 }), (s) => {
        const r = containerFromCgroup(s);
        if (r) {
          expect(r.id).toMatch(/^[0-9a-f]{64}$/);
          expect(s).toContain(r.id);
        }
      }),
    );
  });
});

describe('containerFromMountSource', () => {
  it("Docker's per-container files, at any data root", () => {
    for (const f of ['hostname', 'hosts', 'resolv.conf'])
      expect(containerFromMountSource(`/var/lib/docker/containers/${ID}/${f}`)).toEqual({
        id: ID,
        runtime: 'docker',
      });
    expect(containerFromMountSource(`/data/docker/containers/${ID}/hosts`)).toEqual({
      id: ID,
      runtime: 'docker',
    });
    expect(containerFromMountSource(`/var/lib/docker/containers/${ID}/config.v2.json`)).toBeUndefined();
  });

  it('containers/storage: CRI-O, and Podman by its .containerenv or libpod path', () => {
    expect(
      containerFromMountSource(`/var/lib/containers/storage/overlay-containers/${ID}/userdata/hostname`),
    ).toEqual({
      id: ID,
      runtime: 'cri-o',
    });
    expect(
      containerFromMountSource(`/var/lib/containers/storage/overlay-containers/${ID}/userdata/.containerenv`),
    ).toEqual({
      id: ID,
      runtime: 'podman',
    });
    expect(containerFromMountSource(`/run/libpod/x/overlay-containers/${ID}/userdata/hosts`)).toEqual({
      id: ID,
      runtime: 'podman',
    });
    expect(containerFromMountSource('/etc/hosts')).toBeUndefined();
  });
});

describe('whole files', () => {
  it('a cgroup v1 file: the first hierarchy that names a container', () => {
    const text = [
      '12:pids:/',
      `11:memory:/docker/${ID}`,
      `10:cpu,cpuacct:/docker/${ID}`,
      '1:name=systemd:/init.scope',
      '',
    ].join('\n');
    expect(containerFromCgroupFile(text)).toEqual({ id: ID, runtime: 'docker' });
    expect(containerFromCgroupFile('0::/\n')).toBeUndefined();
  });

  it('a mountinfo of a Docker container, found by its /etc/hostname bind mount', () => {
    const text = [
      '1419 1200 0:160 / / rw,relatime master:512 - overlay overlay rw,lowerdir=/var/lib/docker/overlay2/l/X',
      '1420 1419 0:163 / /proc rw,nosuid,nodev,noexec,relatime - proc proc rw',
      `1431 1419 259:2 /var/lib/docker/containers/${ID}/resolv.conf /etc/resolv.conf rw,relatime - ext4 /dev/nvme0n1p2 rw`,
      `1432 1419 259:2 /var/lib/docker/containers/${ID}/hostname /etc/hostname rw,relatime - ext4 /dev/nvme0n1p2 rw`,
      '',
    ].join('\n');
    expect(containerFromMountInfo(text)).toEqual({ id: ID, runtime: 'docker' });
  });
});
