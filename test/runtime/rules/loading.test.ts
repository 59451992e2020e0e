import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { stringify } from 'yaml';
import { compileRules } from '../../../src/runtime/rules/engine.js';
import type { Problem } from '../../../src/runtime/rules/problems.js';
import { event, fired } from './make.js';

const load = (...texts: string[]) => compileRules(texts.map((text, i) => ({ file: `f${i}.yaml`, text })));
const errors = (problems: Problem[]) => problems.filter((p) => p.severity === 'error');
const at = (p: Problem) => `${p.file}:${p.line} ${p.message}`;

const base = `
- list: shells
  items: [bash, sh]

- macro: spawned
  condition: evt.type = execve

- rule: shell
  desc: a shell ran
  condition: spawned and proc.name in (shells)
  output: shell %proc.name
  priority: NOTICE
  tags: [a]
`;
const bash = event({ type: 'execve', proc: { name: 'bash' } });
const zsh = event({ type: 'execve', proc: { name: 'zsh' } });

describe('loading rule files', () => {
  it('reports malformed YAML with its line, and refuses non-sequences', () => {
    const r = load('- rule: x\n  desc: [unclosed\n  output: o\n');
    expect(errors(r.problems)[0]).toMatchObject({
      file: 'f0.yaml',
      message: expect.stringMatching(/invalid YAML/),
    });
    expect(errors(r.problems)[0]!.line).toBeGreaterThan(1);
    expect(errors(load('rule: x\n').problems).map(at)).toEqual([
      'f0.yaml:1 a rules file must be a YAML sequence of rule, macro and list items',
    ]);
    expect(load('').problems).toEqual([]);
    expect(load('# only a comment\n').problems).toEqual([]);
  });

  it('checks item shapes and key types, naming the line', () => {
    const r = load(`
- just a string
- rule: bad
  desc: d
  condition: evt.type = execve
  output: o
  priority: LOUD
  enabled: yes please
  tags: not-a-list
  colour: red
- frobnicate: 1
`);
    const messages = r.problems.map(at);
    expect(messages).toContain(
      'f0.yaml:2 each item must be a mapping (rule, macro, list, required_engine_version...)',
    );
    expect(messages).toContain(
      "f0.yaml:7 invalid priority 'LOUD' (emergency, alert, critical, error, warning, notice, informational, debug)",
    );
    expect(messages).toContain('f0.yaml:8 enabled must be true or false');
    expect(messages).toContain('f0.yaml:9 tags must be a list');
    expect(messages).toContain("f0.yaml:3 unknown key 'colour' ignored");
    expect(messages).toContain('f0.yaml:11 unknown item (keys: frobnicate); expected rule, macro or list');
    expect(r.problems.find((p) => p.message.includes('colour'))?.severity).toBe('warning');
  });

  it('requires condition, output, desc and priority for a new rule', () => {
    const r = load('- rule: x\n  condition: evt.type = execve\n');
    expect(errors(r.problems).map(at)).toEqual(["f0.yaml:1 rule 'x' lacks output, desc, priority"]);
    expect(r.counts.rules).toBe(0);
  });

  it('counts rules, macros and lists', () => {
    expect(load(base).counts).toEqual({ rules: 1, macros: 1, lists: 1, compiled: 1, failed: 0, skipped: 0 });
  });

  it('lets a later definition replace an earlier one of the same name', () => {
    const r = load(base, '- list: shells\n  items: [zsh]\n');
    expect(fired(r, bash)).toEqual([]);
    expect(fired(r, zsh)).toEqual(['shell']);
  });

  it('appends with the legacy append: true', () => {
    const r = load(
      base,
      `
- list: shells
  items: [zsh]
  append: true
- macro: spawned
  condition: or evt.type = execveat
  append: true
- rule: shell
  condition: and not proc.pname = sshd
  append: true
`,
    );
    expect(errors(r.problems)).toEqual([]);
    expect(fired(r, zsh)).toEqual(['shell']);
    expect(fired(r, { ...bash, type: 'execveat' })).toEqual(['shell']);
    expect(
      fired(r, event({ type: 'execve', proc: { name: 'bash', ancestors: [{ pid: 1, name: 'sshd' }] } })),
    ).toEqual([]);
    expect(errors(load('- list: nope\n  items: [a]\n  append: true\n').problems).map(at)).toEqual([
      "f0.yaml:1 list 'nope' is appended to or overridden, but no such list exists yet",
    ]);
  });

  it('applies override: append and replace, as Falco allows them', () => {
    const r = load(
      base,
      `
- list: shells
  items: [zsh]
  override:
    items: replace
- rule: shell
  condition: and user.uid = 0
  output: root shell %proc.name
  priority: CRITICAL
  tags: [b]
  override:
    condition: append
    output: replace
    priority: replace
    tags: append
`,
    );
    expect(errors(r.problems)).toEqual([]);
    expect(fired(r, bash)).toEqual([]);
    const alerts = r.ruleset.evaluate(zsh);
    expect(alerts.map((a) => [a.rule, a.priority, a.output, a.tags])).toEqual([
      ['shell', 'Critical', 'root shell zsh', ['a', 'b']],
    ]);
    expect(fired(r, event({ type: 'execve', proc: { name: 'zsh', uid: 1000 } }))).toEqual([]);
  });

  it('refuses overrides that Falco refuses', () => {
    const cases: [string, string][] = [
      [
        '- rule: shell\n  priority: ERROR\n  override:\n    priority: append\n',
        "'priority' cannot be overridden with append",
      ],
      [
        '- rule: shell\n  desc: x\n  override:\n    output: replace\n',
        "override lists 'output' but the item does not set it",
      ],
      [
        '- rule: shell\n  desc: x\n  output: y\n  override:\n    desc: replace\n',
        "'output' is set but missing from override",
      ],
      [
        '- rule: shell\n  desc: x\n  append: true\n  override:\n    desc: replace\n',
        "'append' and 'override' cannot be used together",
      ],
      [
        '- rule: ghost\n  desc: x\n  override:\n    desc: replace\n',
        "rule 'ghost' is appended to or overridden, but no such rule exists yet",
      ],
      [
        '- macro: spawned\n  condition: x\n  override:\n    condition: merge\n',
        "override of 'condition' must be append or replace",
      ],
    ];
    for (const [text, message] of cases) {
      expect(
        errors(load(base, text).problems).map((p) => p.message),
        text,
      ).toEqual([expect.stringContaining(message)]);
    }
  });

  it('enables and disables with an enabled-only item or an override', () => {
    const off = load(base, '- rule: shell\n  enabled: false\n');
    expect(fired(off, bash)).toEqual([]);
    expect(off.ruleset.rules[0]!.enabled).toBe(false);
    const on = load(
      base,
      '- rule: shell\n  enabled: false\n',
      '- rule: shell\n  enabled: true\n  override:\n    enabled: replace\n',
    );
    expect(fired(on, bash)).toEqual(['shell']);
  });

  it('turns exceptions into conditions, in every form Falco accepts', () => {
    const r = load(`
- list: trusted_files
  items: [/etc/hosts]
- rule: write
  desc: d
  condition: evt.type = openat and fd.name startswith /etc/
  output: o
  priority: ERROR
  exceptions:
    - name: proc_file
      fields: [proc.name, fd.name]
      comps: [=, in]
      values:
        - [vim, [/etc/motd, trusted_files]]
    - name: dirs
      fields: fd.directory
      values: [/etc/ssl]
    - name: defaults
      fields: [proc.name, 'proc.aname[2]']
    - name: prefix
      fields: [proc.cmdline, fd.name]
      comps: [startswith, pmatch]
      values:
        - ['apt-get install', [/etc/apt]]
- rule: write
  exceptions:
    - name: defaults
      values: [[cron, systemd]]
    - name: numbers
      fields: [proc.pid]
      comps: [=]
      values: [[1]]
  append: true
`);
    expect(r.problems).toEqual([]);
    const open = (name: string, file: string, extra: object = {}) =>
      fired(r, event({ proc: { name, ...extra }, fd: { name: file, type: 'file' } }));
    expect(open('bash', '/etc/hosts')).toEqual(['write']);
    expect(open('vim', '/etc/hosts')).toEqual([]);
    expect(open('vim', '/etc/motd')).toEqual([]);
    expect(open('vim', '/etc/passwd')).toEqual(['write']);
    expect(open('bash', '/etc/ssl/certs.pem')).toEqual([]);
    expect(open('cron', '/etc/passwd')).toEqual([]);
    expect(open('apt-get', '/etc/apt/sources.list', { cmdline: 'apt-get install curl' })).toEqual([]);
    expect(open('apt-get', '/etc/aptly', { cmdline: 'apt-get install curl' })).toEqual(['write']);
    expect(open('bash', '/etc/passwd', { pid: 1 })).toEqual([]);
  });

  it('reports malformed exceptions at their line', () => {
    const r = load(`
- rule: w
  desc: d
  condition: evt.type = openat
  output: o
  priority: ERROR
  exceptions:
    - name: a
      fields: [proc.name, fd.name]
      comps: [=]
      values: [[x, y]]
    - name: b
      fields: [proc.name]
      values: [[x, y]]
    - name: c
      fields: proc.name
      comps: '='
      values: [x]
- rule: w2
  desc: d
  condition: evt.type = openat
  output: o
  priority: ERROR
  exceptions:
    - fields: [proc.name]
`);
    expect(errors(r.problems).map(at)).toEqual([
      "f0.yaml:8 exception 'a': fields and comps differ in length",
      "f0.yaml:12 exception 'b': each value must be a list of 1 item(s), one per field",
      "f0.yaml:15 exception 'c': with a single field, comps must be in, pmatch or intersects",
      'f0.yaml:25 an exception needs a name',
    ]);
    expect(r.counts.rules).toBe(1);
    const appended = load(
      base,
      '- rule: shell\n  exceptions:\n    - name: new\n      values: [[x]]\n  append: true\n',
    );
    expect(errors(appended.problems).map((p) => p.message)).toEqual([
      "appended exception 'new' is new, so it needs fields",
    ]);
  });

  it('reports unknown fields per rule, where they are used, or skips the rule if asked', () => {
    const text = `
- macro: odd
  condition: >
    proc.name = x
    and proc.favourite_colour = blue
- rule: uses-macro
  desc: d
  condition: evt.type = execve and odd
  output: o
  priority: INFO
- rule: direct
  desc: d
  condition: evt.type = execve and fd.flavour = sweet
  output: o
  priority: INFO
- rule: skipped
  desc: d
  condition: evt.type = execve and fd.flavour = sweet
  output: o
  priority: INFO
  skip-if-unknown-filter: true
`;
    const r = load(text);
    expect(errors(r.problems).map((p) => `${p.item?.name} ${at(p)}`)).toEqual([
      "uses-macro f0.yaml:5 unknown field 'proc.favourite_colour'",
      "direct f0.yaml:13 unknown field 'fd.flavour'",
    ]);
    expect(r.problems.find((p) => p.item?.name === 'skipped')).toMatchObject({
      severity: 'warning',
      message: 'skipped (skip-if-unknown-filter): unknown field(s) fd.flavour',
    });
    expect(r.counts).toMatchObject({ rules: 3, compiled: 0, failed: 2, skipped: 1 });
  });

  it('points at the line of a syntax error inside a multi-line condition', () => {
    const r = load(`
- rule: r
  desc: d
  condition: >
    evt.type = execve
    and proc.name = bash
    and proc.name in (a, b
  output: o
  priority: INFO
`);
    expect(errors(r.problems).map(at)).toEqual([
      "f0.yaml:7 syntax error: expected a ')' token closing the list",
    ]);
  });

  it('detects undefined macros and cycles among macros and lists', () => {
    const r = load(`
- list: l1
  items: [l2, x]
- list: l2
  items: [l1]
- macro: m1
  condition: m2
- macro: m2
  condition: proc.name = a or m1
- rule: cyclic
  desc: d
  condition: evt.type = execve and m1
  output: o
  priority: INFO
- rule: lists
  desc: d
  condition: evt.type = execve and proc.name in (l1)
  output: o
  priority: INFO
- rule: undefined
  desc: d
  condition: evt.type = execve and nothing_here
  output: o
  priority: INFO
`);
    const messages = errors(r.problems).map((p) => p.message);
    expect(messages).toContain('macros refer to each other in a cycle: m1 → m2 → m1');
    expect(messages).toContain("macro 'm1' does not compile");
    expect(messages).toContain('lists refer to each other in a cycle: l1 → l2 → l1');
    expect(messages).toContain("undefined macro 'nothing_here'");
  });

  it('notes engine and plugin requirements, and skips other event sources', () => {
    const r = load(`
- required_engine_version: 0.99.0
- required_plugin_versions:
    - name: container
      version: 0.4.0
- rule: audit
  desc: d
  condition: ka.verb = create
  output: o
  priority: INFO
  source: k8s_audit
`);
    expect(r.problems.map((p) => `${p.severity} ${at(p)}`)).toEqual([
      'warning f0.yaml:2 the file requires Falco engine 0.99.0; this engine implements 0.57.0',
      "warning f0.yaml:6 source 'k8s_audit' is not supported (only syscall); rule skipped",
    ]);
    expect(r.requiredPlugins).toEqual([{ name: 'container', version: '0.4.0', file: 'f0.yaml' }]);
    expect(r.counts.skipped).toBe(1);
  });

  it('warns about rules without an event type, bad output fields and broken unused macros', () => {
    const r = load(`
- macro: unused
  condition: proc.nope = 1
- rule: everything
  desc: d
  condition: proc.name = bash
  output: "%proc.name did %no.such_field on %fd.name."
  priority: INFO
`);
    expect(r.problems.map((p) => `${p.severity} ${at(p)}`)).toEqual([
      "warning f0.yaml:3 unknown field 'proc.nope' (unused macro)",
      'warning f0.yaml:4 the condition does not restrict evt.type, so the rule runs on every event (slow)',
      "warning f0.yaml:7 output field '%no.such_field' is unknown or misused; it prints as <NA>",
    ]);
    expect(r.ruleset.evaluate(event())[0]?.output).toBe('bash did <NA> on /etc/hosts.');
  });

  it('never throws, whatever the YAML holds', () => {
    const key = fc.constantFrom(
      'rule',
      'macro',
      'list',
      'condition',
      'output',
      'desc',
      'priority',
      'items',
      'append',
      'override',
      'exceptions',
      'enabled',
      'tags',
      'name',
      'fields',
      'comps',
      'values',
      'source',
    );
    const leaf = fc.oneof(
      fc.string(),
      fc.integer(),
      fc.boolean(),
      fc.constant(null),
      fc.constantFrom('evt.type = execve', 'proc.name in (a', 'WARNING', 'append', 'replace'),
    );
    const value = fc.letrec<{ v: unknown }>((tie) => ({
      v: fc.oneof(
        { depthSize: 'small' },
        leaf,
        fc.array(tie('v'), { maxLength: 4 }),
        fc.dictionary(key, tie('v'), { maxKeys: 5 }),
      ),
    })).v;
    fc.assert(
      fc.property(fc.array(fc.dictionary(key, value, { maxKeys: 6 }), { maxLength: 6 }), (items) => {
        const r = compileRules([{ file: 'fuzz.yaml', text: stringify(items) }]);
        r.ruleset.evaluate(event());
        for (const p of r.problems) expect(p.line).toBeGreaterThanOrEqual(1);
      }),
      { numRuns: 300 },
    );
    fc.assert(
      fc.property(fc.string({ maxLength: 200 }), (text) => {
        expect(() => compileRules([{ file: 'junk.yaml', text }])).not.toThrow();
      }),
      { numRuns: 500 },
    );
  });
});
