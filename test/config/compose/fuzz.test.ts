// biome-ignore-all lint/suspicious/noTemplateCurlyInString: the Dockerfile and Compose variable syntax under test is written in plain strings
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { stringify } from 'yaml';
import { composeKind } from '../../../src/config/compose/kind.js';
import { parseCompose } from '../../../src/config/compose/parse-compose.js';
import { ConfigParseError } from '../../../src/config/engine/check.js';
import { scanSource } from '../../../src/config/engine/scan-source.js';

const scan = (text: string, env?: string) =>
  scanSource(composeKind, {
    path: 'compose.yaml',
    text,
    companions: new Map(env === undefined ? [] : [['.env', env]]),
  });

/** YAML fragments, valid and broken, to combine at random. */
const fragment = fc.oneof(
  fc.constantFrom(
    'services:',
    '  web:',
    '    image: nginx:${TAG:-latest}',
    '    <<: *base',
    'x-base: &base',
    '  privileged: true',
    '    ports: ["80:80", 3000, {target: 5432}]',
    '    volumes: [/:/host, {type: bind, source: /var/run/docker.sock}]',
    '    environment: [A=1, PASSWORD=x, B]',
    '    environment: {TOKEN: $X, __proto__: 1}',
    '    extends: web',
    '    extends: {file: x.yml, service: y}',
    '    security_opt: [seccomp:unconfined, no-new-privileges]',
    '    deploy: {resources: {limits: {memory: 1G}}}',
    '  - item',
    '---',
    '[',
    '{',
    '"unterminated',
    '\t- tab',
    '&a [*a]',
    '*missing',
    ': :',
  ),
  fc.string({ maxLength: 30 }),
);
const composeText = fc.array(fragment, { maxLength: 25 }).map((ls) => ls.join('\n'));

/** Arbitrary values where Compose puts its settings. */
const value = fc.letrec((tie) => ({
  any: fc.oneof(
    { depthSize: 'small' },
    fc.string({ maxLength: 20 }),
    fc.integer(),
    fc.boolean(),
    fc.constant(null),
    fc.constantFrom(
      'host',
      'root',
      '0:0',
      '/var/run/docker.sock:/x',
      'seccomp:unconfined',
      '${A:-b}',
      '$$',
      '22:22',
      'ALL',
      'toString',
    ),
    fc.array(tie('any'), { maxLength: 4 }),
    fc.dictionary(
      fc.constantFrom(
        'target',
        'published',
        'source',
        'type',
        'bind',
        'propagation',
        'limits',
        'memory',
        'a',
      ),
      tie('any'),
      { maxKeys: 4 },
    ),
  ),
})).any;
const serviceKeys = fc.constantFrom(
  'image',
  'build',
  'privileged',
  'cap_add',
  'cap_drop',
  'network_mode',
  'pid',
  'ipc',
  'volumes',
  'ports',
  'environment',
  'security_opt',
  'user',
  'read_only',
  'deploy',
  'devices',
  'restart',
  'healthcheck',
  'extends',
  'mem_limit',
  '__proto__',
  'constructor',
);
const composeObject = fc.record({
  services: fc.dictionary(
    fc.string({ minLength: 1, maxLength: 8 }),
    fc.dictionary(serviceKeys, value, { maxKeys: 8 }),
    { maxKeys: 4 },
  ),
});

describe('Compose parser properties', () => {
  it('either parses or throws a ConfigParseError, for any text', () => {
    fc.assert(
      fc.property(composeText, fc.string({ maxLength: 40 }), (text, env) => {
        try {
          parseCompose({ path: 'compose.yaml', text, companions: new Map([['.env', env]]) });
        } catch (err) {
          expect(err).toBeInstanceOf(ConfigParseError);
        }
      }),
      { numRuns: 800 },
    );
  });

  it('scanning never throws: malformed is one error entry, otherwise findings point inside the file', () => {
    fc.assert(
      fc.property(composeText, (text) => {
        const result = scan(text);
        expect(result.errors.filter((e) => e.ruleId !== undefined)).toEqual([]);
        if (result.errors.length > 0) expect([result.errors.length, result.findings.length]).toEqual([1, 0]);
        const total = text.split(/\r?\n/).length;
        for (const f of result.findings) {
          expect(f.location.line).toBeGreaterThanOrEqual(1);
          expect(f.location.endLine).toBeLessThanOrEqual(total);
        }
      }),
      { numRuns: 600 },
    );
  });

  it('runs every check on arbitrary well-formed Compose documents without a failing check', () => {
    fc.assert(
      fc.property(composeObject, (doc) => {
        const text = stringify(doc);
        const result = scan(text);
        expect(result.errors).toEqual([]);
        const total = text.split('\n').length;
        for (const f of result.findings) expect(f.location.endLine).toBeLessThanOrEqual(total);
      }),
      { numRuns: 600 },
    );
  });
});
