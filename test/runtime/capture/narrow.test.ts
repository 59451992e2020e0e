import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { openFlags } from '../../../src/runtime/capture/flags.js';
import { type Formula, kernelFilter, simplify, usesPath } from '../../../src/runtime/capture/narrow.js';
import { DEFAULT_RULES_FILE } from '../../../src/runtime/rules/default-rules.js';
import { compileRules, type LoadResult } from '../../../src/runtime/rules/engine.js';
import type { Event } from '../../../src/types.js';
import { sharedDir } from '../../helpers/components.js';
import { event, oneRule } from '../rules/make.js';

/**
 * Soundness of kernel narrowing: whenever a rule's compiled condition accepts an event, the
 * formula the kernel is given for that event type accepts it too (dropping what the formula
 * rejects never loses an alert). The formula is evaluated here with the meaning narrow.ts
 * documents; the rule with the real rule engine.
 */

interface KernelView {
  res: number;
  flags: number;
  path: string;
  family: number;
}

function holds(f: Formula, e: KernelView): boolean {
  if (typeof f === 'boolean') return f;
  switch (f.kind) {
    case 'and':
      return f.children.every((c) => holds(c, e));
    case 'or':
      return f.children.some((c) => holds(c, e));
    case 'not':
      return !holds(f.child, e);
    case 'res': {
      const ops = {
        '<': e.res < f.value,
        '<=': e.res <= f.value,
        '>': e.res > f.value,
        '>=': e.res >= f.value,
      };
      return f.op === '=' ? e.res === f.value : f.op === '!=' ? e.res !== f.value : ops[f.op];
    }
    case 'access':
      return f.mode === 'read'
        ? (e.flags & 3) !== 1
        : f.mode === 'write'
          ? (e.flags & 3) !== 0
          : (e.flags & 64) !== 0;
    case 'family':
      return f.families.includes(e.family);
    case 'path':
      return f.op === 'eq'
        ? e.path === f.value
        : f.op === 'prefix'
          ? e.path.startsWith(f.value)
          : e.path.includes(f.value);
  }
}

const SEGMENTS = [
  'etc',
  'shadow',
  'usr',
  'lib',
  'bin',
  'sbin',
  'tmp',
  'home',
  'root',
  '.ssh',
  'id_rsa',
  'x',
  'sudoers.d',
  'var',
  'log',
  'auth.log',
  'pam.d',
  'ssl',
  'private',
  'local',
  'passwd',
  'kube',
  'config',
];
const path = fc
  .array(fc.oneof(fc.constantFrom(...SEGMENTS), fc.stringMatching(/^[a-z_.-]{1,6}$/)), {
    minLength: 1,
    maxLength: 5,
  })
  .map((s) => `/${s.join('/')}`);
const FLAG_BITS = [0, 1, 2, 0o100, 0o1000, 0o2000, 0o2000000, 0o200000];
const flags = fc.subarray(FLAG_BITS).map((b) => b.reduce((a, x) => a | x, 0));
const res = fc.constantFrom(-2, -13, -1, 0, 3, 7);

function openEvent(type: string, p: string, f: number, r: number, name: string): Event {
  return event({
    type,
    proc: { name, exe: name, cmdline: name, args: [] },
    fd: { num: r >= 0 ? r : -1, name: p, type: 'file' },
    evt: { args: { flags: openFlags(f) }, res: r },
  });
}

const PROC_NAMES = ['bash', 'cat', 'python3', 'sshd', 'nginx', 'vi', 'sudo', 'node'];

/** Does every event some rule matches pass the rule set's kernel filter? Returns the matches seen. */
function checkOpens(loaded: LoadResult, runs: number): number {
  let matched = 0;
  const filters = new Map(
    ['open', 'openat', 'openat2', 'creat'].map((t) => [
      t,
      kernelFilter(loaded.ruleset.rules, t, { open: true }),
    ]),
  );
  fc.assert(
    fc.property(
      fc.constantFrom('open', 'openat', 'openat2'),
      path,
      flags,
      res,
      fc.constantFrom(...PROC_NAMES),
      (type, p, f, r, name) => {
        const alerts = loaded.ruleset.evaluate(openEvent(type, p, f, r, name));
        if (alerts.length === 0) return;
        matched++;
        expect(
          holds(filters.get(type)!, { res: r, flags: f, path: p, family: 0 }),
          `${type} ${p} ${openFlags(f)} ${r}`,
        ).toBe(true);
      },
    ),
    { numRuns: runs },
  );
  return matched;
}

describe('kernel narrowing is sound', () => {
  const defaults = compileRules([
    { file: 'ringfence_rules.yaml', text: readFileSync(DEFAULT_RULES_FILE, 'utf8') },
  ]);

  it('for the default rules, on opens (property)', () => {
    expect(checkOpens(defaults, 3000)).toBeGreaterThan(10);
  });

  const shared = sharedDir();
  it.skipIf(!shared)("for Falco's rules, on opens (property)", () => {
    const files = ['falco_rules.yaml', 'falco-incubating_rules.yaml', 'falco-sandbox_rules.yaml'];
    const falco = compileRules(
      files.map((f) => ({ file: f, text: readFileSync(join(shared!, 'corpora/falco-rules', f), 'utf8') })),
    );
    expect(checkOpens(falco, 3000)).toBeGreaterThan(10);
  });

  it('for the default rules, on connects: families and results (property)', () => {
    const filter = kernelFilter(defaults.ruleset.rules, 'connect', { family: true });
    const TYPES: [string | undefined, number][] = [
      ['ipv4', 2],
      ['ipv6', 10],
      ['unix', 1],
      ['file', 0],
      [undefined, 0],
    ];
    let matched = 0;
    fc.assert(
      fc.property(
        fc.constantFrom(...TYPES),
        fc.constantFrom(-115, -111, 0),
        fc.constantFrom(...PROC_NAMES),
        fc.constantFrom(4444, 3333, 443, 22),
        ([type, family], r, name, port) => {
          const e = event({
            type: 'connect',
            proc: { name, exe: name, cmdline: name, args: [] },
            fd: type
              ? {
                  num: 3,
                  type,
                  name: '10.0.0.1:5555->1.2.3.4:4444',
                  sip: '1.2.3.4',
                  sport: port,
                  cip: '10.0.0.1',
                  cport: 5555,
                  l4proto: 'tcp',
                }
              : undefined,
            evt: { args: {}, res: r },
          });
          if (defaults.ruleset.evaluate(e).length === 0) return;
          matched++;
          expect(holds(filter, { res: r, flags: 0, path: '', family })).toBe(true);
        },
      ),
      { numRuns: 1000 },
    );
    expect(matched).toBeGreaterThan(0);
  });

  it('for generated conditions over the fields the kernel sees, negations included (property)', () => {
    const literal = fc.oneof(
      fc.constantFrom(
        '/etc',
        '/etc/',
        '/etc/shadow',
        '/usr/lib',
        '/home',
        '/tmp/x',
        'id_rsa',
        '.ssh',
        'shadow',
      ),
      path,
    );
    const atom = fc.oneof(
      literal.map((v) => `fd.name = ${v}`),
      literal.map((v) => `fd.name startswith ${v}`),
      literal.map((v) => `fd.name contains ${v}`),
      fc.tuple(literal, literal).map(([a, b]) => `fd.name in (${a}, ${b})`),
      fc.tuple(literal, literal).map(([a, b]) => `fd.name pmatch (${a}, ${b})`),
      literal.map((v) => `fd.name glob '${v}*'`),
      literal.map((v) => `fd.name glob '*${v.slice(1)}'`),
      literal.map((v) => `fd.directory = ${v}`),
      literal.map((v) => `fd.directory in (${v})`),
      fc.constantFrom('shadow', 'id_rsa', 'x').map((v) => `fd.filename = ${v}`),
      fc.constantFrom('true', 'false').map((v) => `evt.is_open_read = ${v}`),
      fc.constantFrom('true', 'false').map((v) => `evt.is_open_write = ${v}`),
      fc.constantFrom('true', 'false').map((v) => `evt.is_open_create = ${v}`),
      fc.constantFrom('SUCCESS', 'ENOENT', 'EACCES').map((v) => `evt.res = ${v}`),
      fc.constantFrom('<', '>=', '=', '!=').map((op) => `evt.rawres ${op} 0`),
      fc.constantFrom('<', '>=').map((op) => `fd.num ${op} 0`),
      fc.constant('evt.failed = true'),
      fc.constantFrom('bash', 'cat').map((v) => `proc.name = ${v}`),
    );
    const { condition } = fc.letrec<{ condition: string }>((tie) => ({
      condition: fc.oneof(
        { depthSize: 'small', withCrossShrink: true },
        atom,
        fc.tuple(tie('condition'), tie('condition')).map(([a, b]) => `(${a} and ${b})`),
        fc.tuple(tie('condition'), tie('condition')).map(([a, b]) => `(${a} or ${b})`),
        tie('condition').map((c) => `not (${c})`),
      ),
    }));
    let matched = 0;
    fc.assert(
      fc.property(
        condition,
        fc.array(fc.tuple(path, flags, res, fc.constantFrom('bash', 'cat')), {
          minLength: 20,
          maxLength: 20,
        }),
        (cond, events) => {
          const loaded = compileRules([{ file: 'r.yaml', text: oneRule(`evt.type = openat and (${cond})`) }]);
          const errors = loaded.problems.filter((p) => p.severity === 'error');
          expect(errors, cond).toEqual([]);
          const filter = kernelFilter(loaded.ruleset.rules, 'openat', { open: true });
          for (const [p, f, r, name] of events) {
            if (loaded.ruleset.evaluate(openEvent('openat', p, f, r, name)).length === 0) continue;
            matched++;
            expect(
              holds(filter, { res: r, flags: f, path: p, family: 0 }),
              `${cond} / ${p} ${openFlags(f)} ${r}`,
            ).toBe(true);
          }
        },
      ),
      { numRuns: 400 },
    );
    expect(matched).toBeGreaterThan(400);
  });
});

describe('narrowing in practice', () => {
  it('rules for other types, disabled rules and conditions false for the type leave nothing to capture', () => {
    const loaded = compileRules([
      {
        file: 'r.yaml',
        text: `${oneRule('evt.type = openat and fd.name = /etc/shadow')}\n- rule: off\n  desc: d\n  condition: evt.type = connect\n  output: o\n  priority: INFO\n  enabled: false\n`,
      },
    ]);
    const rules = loaded.ruleset.rules;
    expect(kernelFilter(rules, 'connect', { family: true })).toBe(false);
    expect(kernelFilter(rules, 'openat', { open: true })).toEqual({
      kind: 'path',
      op: 'eq',
      value: '/etc/shadow',
    });
    // Without the open dimensions the kernel cannot test the path: everything passes.
    expect(kernelFilter(rules, 'openat', {})).toBe(true);
  });

  it('a rule the kernel cannot narrow (proc fields only) captures everything of its type', () => {
    const loaded = compileRules([{ file: 'r.yaml', text: oneRule('evt.type = ptrace and proc.name = gdb') }]);
    expect(kernelFilter(loaded.ruleset.rules, 'ptrace', {})).toBe(true);
  });

  it('a literal with quotes or non-ASCII is not given to the kernel', () => {
    const loaded = compileRules([
      { file: 'r.yaml', text: oneRule('evt.type = openat and fd.name = "/tmp/é"') },
    ]);
    const f = kernelFilter(loaded.ruleset.rules, 'openat', { open: true });
    expect(usesPath(f)).toBe(false);
  });

  it('simplify folds constants, flattens, removes duplicates and double negation', () => {
    const a: Formula = { kind: 'res', op: '>=', value: 0 };
    const b: Formula = { kind: 'access', mode: 'write' };
    expect(simplify({ kind: 'and', children: [true, a, { kind: 'and', children: [a, b] }] })).toEqual({
      kind: 'and',
      children: [a, b],
    });
    expect(simplify({ kind: 'or', children: [a, true] })).toBe(true);
    expect(simplify({ kind: 'or', children: [] })).toBe(false);
    expect(simplify({ kind: 'not', child: { kind: 'not', child: a } })).toEqual(a);
    expect(simplify({ kind: 'not', child: { kind: 'and', children: [false, a] } })).toBe(true);
  });

  it('simplify keeps the meaning of any formula (property)', () => {
    const atom: fc.Arbitrary<Formula> = fc.oneof(
      fc.boolean(),
      fc.constantFrom<Formula>(
        { kind: 'res', op: '>=', value: 0 },
        { kind: 'res', op: '=', value: -2 },
        { kind: 'access', mode: 'read' },
        { kind: 'access', mode: 'create' },
        { kind: 'path', op: 'prefix', value: '/etc/' },
        { kind: 'path', op: 'contains', value: 'id_rsa' },
      ),
    );
    const { f } = fc.letrec<{ f: Formula }>((tie) => ({
      f: fc.oneof(
        { depthSize: 'small' },
        atom,
        fc.array(tie('f'), { maxLength: 3 }).map((children) => ({ kind: 'and' as const, children })),
        fc.array(tie('f'), { maxLength: 3 }).map((children) => ({ kind: 'or' as const, children })),
        tie('f').map((child) => ({ kind: 'not' as const, child })),
      ),
    }));
    fc.assert(
      fc.property(f, path, flags, res, (formula, p, fl, r) => {
        const e = { res: r, flags: fl, path: p, family: 0 };
        expect(holds(simplify(formula), e)).toBe(holds(formula, e));
      }),
    );
  });
});
