import { describe, expect, it } from 'vitest';
import { compileRules, outputFormat } from '../../../src/runtime/rules/engine.js';
import { event, fired } from './make.js';

const rules = `
- macro: opened
  condition: evt.type in (open, openat) and evt.is_open_read = true
- rule: read-etc
  desc: d
  condition: opened and fd.name startswith /etc/
  output: "%proc.name read %fd.name (parent %proc.pname, gp %proc.aname[2], user %user.name)"
  priority: WARNING
  tags: [files, T1]
- rule: read-shadow
  desc: d
  condition: opened and fd.name = /etc/shadow
  output: shadow
  priority: CRITICAL
  tags: [files]
  remediation: rotate the passwords
- rule: not-exec
  desc: d
  condition: evt.type != execve and proc.name = nc
  output: nc did %evt.type
  priority: NOTICE
- rule: anything
  desc: d
  condition: proc.name = socat
  output: socat
  priority: DEBUG
  warn_evttypes: false
`;

describe('ruleset', () => {
  const r = compileRules([{ file: 'r.yaml', text: rules }], { hostname: 'h' });
  const shadow = event({ fd: { name: '/etc/shadow', type: 'file', num: 3 } });

  it('indexes rules by event type and says which types capture needs', () => {
    expect(r.problems).toEqual([]);
    expect(r.ruleset.eventTypes()).toEqual({
      types: ['open', 'openat'],
      anyTypeRules: ['not-exec', 'anything'],
    });
    expect(r.ruleset.fields()).toEqual(
      expect.arrayContaining([
        'evt.type',
        'evt.is_open_read',
        'fd.name',
        'proc.name',
        'proc.pname',
        'proc.aname[2]',
        'user.name',
      ]),
    );
  });

  it('fires every matching rule in load order, with rendered outputs', () => {
    const alerts = r.ruleset.evaluate(shadow);
    expect(alerts.map((a) => a.rule)).toEqual(['read-etc', 'read-shadow']);
    expect(alerts[0]).toMatchObject({
      priority: 'Warning',
      severity: 'MEDIUM',
      tags: ['files', 'T1'],
      source: 'syscall',
      time: '2023-11-14T22:13:20.123456055Z',
      output: 'bash read /etc/shadow (parent containerd-shim, gp systemd, user root)',
      outputFields: {
        'proc.name': 'bash',
        'fd.name': '/etc/shadow',
        'proc.pname': 'containerd-shim',
        'proc.aname[2]': 'systemd',
        'user.name': 'root',
      },
      event: shadow,
    });
    expect(alerts[1]).toMatchObject({
      priority: 'Critical',
      severity: 'CRITICAL',
      remediation: 'rotate the passwords',
    });
  });

  it('runs rules that exclude a type, or pin none, on other types', () => {
    const nc = (type: string) => fired(r, event({ type, proc: { name: 'nc' } }));
    expect(nc('connect')).toEqual(['not-exec']);
    expect(nc('some_type_never_seen')).toEqual(['not-exec']);
    expect(nc('execve')).toEqual([]);
    expect(fired(r, event({ type: 'bpf', proc: { name: 'socat' } }))).toEqual(['anything']);
  });

  it('returns one shared empty answer when nothing fires', () => {
    const a = r.ruleset.evaluate(event({ type: 'execve' }));
    const b = r.ruleset.evaluate(event({ type: 'connect' }));
    expect(a).toEqual([]);
    expect(a).toBe(b);
    expect(Object.isFrozen(a)).toBe(true);
  });

  it('reuses a shared macro value only for the event it was computed for', () => {
    const write = event({ fd: { name: '/etc/shadow', type: 'file' }, evt: { args: { flags: 'O_WRONLY' } } });
    expect(fired(r, write)).toEqual([]);
    expect(fired(r, shadow)).toEqual(['read-etc', 'read-shadow']);
    expect(fired(r, write)).toEqual([]);
  });

  it('enables and disables rules by name or tag', () => {
    const local = compileRules([{ file: 'r.yaml', text: rules }]);
    expect(local.ruleset.setEnabled({ tag: 'files' }, false)).toBe(2);
    expect(fired(local, shadow)).toEqual([]);
    expect(local.ruleset.eventTypes().types).toEqual([]);
    expect(local.ruleset.setEnabled({ name: 'read-shadow' }, true)).toBe(1);
    expect(fired(local, shadow)).toEqual(['read-shadow']);
  });

  it('can stop at the first matching rule, and leave out low priorities', () => {
    const first = compileRules([{ file: 'r.yaml', text: rules }], { ruleMatching: 'first' });
    expect(fired(first, shadow)).toEqual(['read-etc']);
    const serious = compileRules([{ file: 'r.yaml', text: rules }], { minPriority: 'Critical' });
    expect(fired(serious, shadow)).toEqual(['read-shadow']);
    expect(serious.ruleset.rules.find((x) => x.name === 'read-etc')?.enabled).toBe(false);
  });

  it('appends an output suffix to every rule when asked', () => {
    const withContainer = compileRules([{ file: 'r.yaml', text: rules }], {
      appendOutput: 'container=%container.name image=%container.image.repository',
    });
    expect(withContainer.ruleset.evaluate(shadow)[1]?.output).toBe(
      'shadow container=web image=docker.io/library/nginx',
    );
  });

  it('survives events with fields of the wrong type', () => {
    const odd = event({
      proc: { name: 42 as unknown as string, args: 'x' as unknown as string[] },
      fd: { name: 7 as unknown as string },
    });
    expect(() => r.ruleset.evaluate(odd)).not.toThrow();
  });
});

describe('output formats outside rules', () => {
  it('render any template against an event, with <NA> for what is missing', () => {
    const f = outputFormat('%evt.time %proc.name (%container.name) opened %fd.name; %nope.field; 100%', {
      hostname: 'h',
    });
    const e = event();
    expect(f.render(e)).toBe('22:13:20.123456055 bash (web) opened /etc/hosts; <NA>; 100%');
    expect(f.values(e)).toEqual({
      'evt.time': '22:13:20.123456055',
      'proc.name': 'bash',
      'container.name': 'web',
      'fd.name': '/etc/hosts',
      'nope.field': null,
    });
    expect(f.unknown).toEqual(['nope.field']);
    expect(
      outputFormat('%tolower(container.name) %proc.aname[1]').render(
        event({ container: { id: 'x', name: 'WEB' } }),
      ),
    ).toBe('web containerd-shim');
  });
});

describe('event types no rule names', () => {
  it('are tested against the rules that pin no type, whatever their name', () => {
    const r = compileRules([{ file: 'r.yaml', text: rules }]);
    for (let i = 0; i < 5000; i++)
      expect(fired(r, event({ type: `odd_${i}`, proc: { name: 'socat' } }))).toEqual(['anything']);
    expect(fired(r, event({ type: 'execve', proc: { name: 'nc' } }))).toEqual([]);
    expect(fired(r, event({ type: 'odd', proc: { name: 'nc' } }))).toEqual(['not-exec']);
  });
});
