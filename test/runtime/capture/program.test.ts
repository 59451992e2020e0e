import { execFile } from 'node:child_process';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import type { Formula } from '../../../src/runtime/capture/narrow.js';
import { planCapture } from '../../../src/runtime/capture/plan.js';
import { preflight } from '../../../src/runtime/capture/preflight.js';
import { CODE, generateProgram, SYSCALL_CODES } from '../../../src/runtime/capture/program.js';
import { SYSCALLS } from '../../../src/runtime/capture/syscalls.js';
import { DEFAULT_RULES_FILE } from '../../../src/runtime/rules/default-rules.js';
import { loadRuleFiles } from '../../../src/runtime/rules/engine.js';
import { needs, sharedDir } from '../../helpers/components.js';
import { programText } from './harness.js';

const ALL = new Set(SYSCALLS.map((s) => s.syscall));
const base = { token: 'Tok3nTok3n', filters: new Map<string, Formula>(), tracepoints: ALL };

describe('generateProgram', () => {
  it('refuses a token that text could imitate', () => {
    expect(() => generateProgram({ ...base, token: 'short', types: [] })).toThrow(/token/);
    expect(() => generateProgram({ ...base, token: 'has space1', types: [] })).toThrow(/token/);
  });

  it('has the ready line and the process probes whatever the types; every line printed starts with the token', () => {
    const p = generateProgram({ ...base, types: ['openat', 'connect'], hostMountNamespace: 4026531840 });
    expect(p.text).toContain(`printf("Tok3nTok3n${CODE.ready}\\n")`);
    expect(p.text).toContain('tracepoint:sched:sched_process_exec');
    expect(p.text).toContain('tracepoint:sched:sched_process_exit');
    expect(p.captured).toEqual(['execve', 'execveat', 'clone', 'procexit', 'connect', 'openat']);
    for (const m of p.text.matchAll(/printf\("([^"]*)"/g)) expect(m[1]!.startsWith('Tok3nTok3n')).toBe(true);
    // Only processes outside the host's mount namespace.
    expect(p.text).toContain('curtask->nsproxy->mnt_ns->ns.inum != 4026531840');
  });

  it('names the types it cannot capture, and leaves out those whose filter is false', () => {
    const p = generateProgram({
      ...base,
      types: ['openat', 'init_module', 'no_such_type', 'ptrace'],
      filters: new Map([['ptrace', false]]),
      tracepoints: new Set(['openat', 'ptrace']),
    });
    expect(p.unavailable.sort()).toEqual(['init_module', 'no_such_type']);
    expect(p.captured).toContain('openat');
    expect(p.captured).not.toContain('ptrace');
    expect(p.text).not.toContain('sys_enter_ptrace');
  });

  it('captures the host too when asked, but never the excluded pid', () => {
    const p = generateProgram({ ...base, types: [], excludePid: 4321 });
    expect(p.text).toContain('pid != 4321');
    expect(p.text).not.toContain('mnt_ns->ns.inum !=');
  });

  it('gives every syscall of the table its own record code, apart from the scheduler codes', () => {
    const codes = [...SYSCALL_CODES.keys()];
    expect(new Set(codes).size).toBe(SYSCALLS.length);
    for (const c of Object.values(CODE)) expect(codes).not.toContain(c);
  });
});

describe('planCapture', () => {
  it('for the default rules: their event types plus the process tree ones, each with a filter', async () => {
    const { ruleset } = await loadRuleFiles([DEFAULT_RULES_FILE]);
    const plan = planCapture(ruleset, {
      token: 'Tok3nTok3n',
      host: false,
      hostMountNamespace: 1,
      agentPid: 2,
      tracepoints: ALL,
    });
    expect(plan.anyTypeRules).toEqual([]);
    expect(plan.captured).toEqual(
      expect.arrayContaining(['execve', 'clone', 'procexit', 'chdir', 'fchdir', 'openat']),
    );
    expect(plan.filters.get('openat')).not.toBe(true);
    expect(plan.filters.has('execve')).toBe(false);
    const { types } = ruleset.eventTypes();
    for (const t of plan.captured) {
      if (!['execve', 'execveat', 'clone', 'procexit', 'chdir', 'fchdir'].includes(t))
        expect(types).toContain(t);
    }
  });
});

/** bpftrace's dry run: parse, type-check and compile to BPF (LLVM's stack check included), load nothing. */
function compiles(program: string): Promise<string | undefined> {
  const dir = mkdtempSync(join(tmpdir(), 'rf-compile-'));
  writeFileSync(join(dir, 'p.bt'), program);
  return new Promise((resolve) => {
    execFile(
      'bpftrace',
      ['--emit-elf', join(dir, 'p.elf'), join(dir, 'p.bt')],
      { env: { ...process.env, BPFTRACE_STRLEN: '200' }, timeout: 120_000, maxBuffer: 1 << 24 },
      (err, _out, stderr) => {
        rmSync(dir, { recursive: true, force: true });
        resolve(
          err
            ? stderr
                .split('\n')
                .filter((l) => /error/i.test(l) && !l.includes('RLIMIT_MEMLOCK'))
                .join('\n') || err.message
            : undefined,
        );
      },
    );
  });
}

describe.skipIf(needs('bpftrace'))('programs bpftrace compiles', () => {
  const shared = sharedDir();
  const sets: [string, () => string[]][] = [
    ['default rules', () => [DEFAULT_RULES_FILE]],
    [
      "Falco's rules",
      () =>
        ['falco_rules.yaml', 'falco-incubating_rules.yaml', 'falco-sandbox_rules.yaml'].map((f) =>
          join(shared!, 'corpora/falco-rules', f),
        ),
    ],
  ];
  for (const [name, files] of sets) {
    it.skipIf(name !== 'default rules' && !shared)(`the program for ${name}`, async () => {
      const { ruleset } = await loadRuleFiles(files());
      const plan = planCapture(ruleset, {
        token: 'Tok3nTok3n',
        host: false,
        hostMountNamespace: 1,
        agentPid: 2,
        tracepoints: preflight().tracepoints,
      });
      expect(await compiles(programText(plan))).toBeUndefined();
    });
  }

  it('a path filter with many contains literals and long literals stays within the BPF stack', async () => {
    const contains: Formula[] = Array.from({ length: 40 }, (_, i) => ({
      kind: 'path',
      op: 'contains',
      value: `/lit${String(i).padStart(4, '0')}`,
    }));
    const filter: Formula = {
      kind: 'or',
      children: [
        ...contains,
        { kind: 'path', op: 'eq', value: `/${'x'.repeat(179)}` },
        {
          kind: 'and',
          children: [
            { kind: 'access', mode: 'write' },
            { kind: 'path', op: 'prefix', value: '/etc/' },
          ],
        },
      ],
    };
    const p = generateProgram({ ...base, types: ['openat'], filters: new Map([['openat', filter]]) });
    expect(await compiles(p.text)).toBeUndefined();
  });
});
