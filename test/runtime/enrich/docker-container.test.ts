import { execFileSync } from 'node:child_process';
import { readFileSync } from 'node:fs';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { containerOfProcess } from '../../../src/runtime/enrich/cgroup.js';
import { containerOfMounts } from '../../../src/runtime/enrich/mountinfo.js';
import { readProcess } from '../../../src/runtime/proc/procfs.js';
import { needs } from '../../helpers/components.js';
import { debianBase } from '../../helpers/images.js';

/** A real container's main process, seen from the host: its id from cgroups and from mounts. */
describe.skipIf(needs('docker', 'root'))('container identity of a real Docker container', () => {
  let id = '';
  let pid = 0;

  beforeAll(() => {
    const image = debianBase();
    id = execFileSync(
      'docker',
      ['run', '-d', '--rm', '--network', 'none', '--label', 'rf-test=enrich', image, 'sleep', '300'],
      {
        encoding: 'utf8',
      },
    ).trim();
    pid = Number(
      execFileSync('docker', ['inspect', '-f', '{{.State.Pid}}', id], { encoding: 'utf8' }).trim(),
    );
  }, 900_000);

  afterAll(() => {
    if (id) execFileSync('docker', ['rm', '-f', id], { stdio: 'ignore' });
  });

  it('containerOfProcess finds the full id and the runtime from its cgroups', () => {
    expect(id).toMatch(/^[0-9a-f]{64}$/);
    expect(pid).toBeGreaterThan(0);
    expect(containerOfProcess(pid)).toEqual({ id, runtime: 'docker' });
  });

  it('containerOfMounts finds the same from its /etc/hostname bind mount', () => {
    expect(containerOfMounts(pid)).toEqual({ id, runtime: 'docker' });
  });

  it('a process exec-ed into the container is found too; the host is not a container', () => {
    const inner = Number(
      execFileSync('docker', ['exec', id, 'sh', '-c', 'sleep 60 & echo $!'], { encoding: 'utf8' }).trim(),
    );
    // The pid inside the container: find its host pid among the container's processes.
    const top = execFileSync('docker', ['top', id, '-o', 'pid,args'], { encoding: 'utf8' })
      .trim()
      .split('\n')
      .slice(1)
      .map((l) => Number(l.trim().split(/\s+/)[0]));
    const hostPids = top.filter((p) => p !== pid && readProcess(p)?.vpid === inner);
    expect(hostPids).toHaveLength(1);
    expect(containerOfProcess(hostPids[0]!)).toEqual({ id, runtime: 'docker' });
    expect(containerOfMounts(hostPids[0]!)).toEqual({ id, runtime: 'docker' });
    const self = readFileSync('/proc/self/cgroup', 'utf8');
    if (!/docker|kubepods|libpod|crio/.test(self)) {
      expect(containerOfProcess(process.pid)).toBeUndefined();
      expect(containerOfMounts(process.pid)).toBeUndefined();
    }
    expect(readProcess(pid)?.vpid).toBe(1);
  });
});
