// biome-ignore-all lint/suspicious/noTemplateCurlyInString: the Dockerfile and Compose variable syntax under test is written in plain strings
import { describe, expect, it } from 'vitest';
import { parseDotenv } from '../../../src/config/compose/dotenv.js';
import { interpolate } from '../../../src/config/compose/interpolate.js';
import { composeKind } from '../../../src/config/compose/kind.js';
import type { ComposeFile } from '../../../src/config/compose/model.js';
import { parseCompose } from '../../../src/config/compose/parse-compose.js';
import { mounts, portMappings, variables } from '../../../src/config/compose/service-fields.js';
import { ConfigParseError } from '../../../src/config/engine/check.js';

const yaml = (...l: string[]): string => `${l.join('\n')}\n`;
const parse = (text: string, env?: string): ComposeFile =>
  parseCompose({ path: 'compose.yaml', text, companions: new Map(env === undefined ? [] : [['.env', env]]) });
const service = (cf: ComposeFile, name: string) => cf.services.find((s) => s.name === name)!;

function parseError(text: string): ConfigParseError {
  try {
    parse(text);
  } catch (err) {
    if (err instanceof ConfigParseError) return err;
    throw err;
  }
  throw new Error('parsed without error');
}

describe('.env', () => {
  it('reads the dotenv format Compose reads', () => {
    const vars = parseDotenv(
      [
        '# comment',
        'A=1',
        'export B = two words # trailing',
        "C='lit $A # not a comment'",
        'D="x\\ny \\"q\\""',
        'E="multi',
        'line"',
        'NOVALUE',
        'F=',
      ].join('\n'),
    );
    expect(Object.fromEntries(vars)).toEqual({
      A: '1',
      B: 'two words',
      C: 'lit $A # not a comment',
      D: 'x\ny "q"',
      E: 'multi\nline',
      F: '',
    });
  });
});

describe('interpolation', () => {
  const vars = new Map([
    ['SET', 'v'],
    ['EMPTY', ''],
  ]);
  it.each([
    ['$SET ${SET}', 'v v', false],
    ['$$SET costs $$5', '$SET costs $5', false],
    ['${UNSET:-d} ${EMPTY:-d} ${EMPTY-d} ${UNSET-d}', 'd d  d', false],
    ['${SET:+alt}|${EMPTY:+alt}|${UNSET+alt}', 'alt||', true],
    ['${UNSET:-${SET:-x}}', 'v', false],
    ['${UNSET}', '', true],
    ['${UNSET:?must be set}', '', true],
    ['price: $ 5', 'price: $ 5', false],
  ])('%s', (text, value, unresolved) => {
    expect(interpolate(text, vars)).toEqual({ value, unresolved });
  });

  it('interpolates values from the .env beside the file, not keys, and records what was written', () => {
    const cf = parse(
      yaml(
        'services:',
        '  web:',
        '    image: "nginx:${TAG:-1.25}"',
        '    environment:',
        '      ${KEY}: $TAG',
      ),
      'TAG=1.27',
    );
    const web = service(cf, 'web');
    expect(web.config.image).toBe('nginx:1.27');
    expect(web.config.environment).toEqual({ '${KEY}': '1.27' });
    const holder = web.holder(['image'])!;
    expect(cf.interpolation.rawOf(holder.container, holder.key)).toBe('nginx:${TAG:-1.25}');
    expect(cf.interpolation.isUnresolved(holder.container, holder.key)).toBe(false);
  });

  it('does not read the environment of the process running the scan', () => {
    process.env.RF_TEST_TAG = 'from-process';
    try {
      const cf = parse(yaml('services:', '  web:', '    image: nginx:${RF_TEST_TAG}'));
      expect(service(cf, 'web').config.image).toBe('nginx:');
    } finally {
      delete process.env.RF_TEST_TAG;
    }
  });
});

describe('services', () => {
  it('resolves anchors and merge keys, with lines pointing where the text is', () => {
    const cf = parse(
      yaml(
        'x-base: &base',
        '  restart: always',
        '  environment: &env',
        '    A: "1"',
        'services:',
        '  web:',
        '    <<: *base',
        '    image: nginx:1.27',
        '    restart: "no"',
        '  api:',
        '    <<: *base',
        '    image: api:1',
        '    environment: *env',
      ),
    );
    const web = service(cf, 'web');
    expect(web.config).toMatchObject({ restart: 'no', image: 'nginx:1.27', environment: { A: '1' } });
    expect(web.locate(['restart'])?.key.line).toBe(9);
    expect(web.locate(['environment', 'A'])?.key.line).toBe(4);
    expect(service(cf, 'api').locate(['restart'])?.key.line).toBe(2);
    expect([web.line, web.endLine]).toEqual([6, 9]);
  });

  it('merges services extended in the same file, concatenating lists and merging mappings', () => {
    const cf = parse(
      yaml(
        'services:',
        '  base:',
        '    image: app:1',
        '    ports: ["127.0.0.1:80:80"]',
        '    environment: {A: "1", B: "1"}',
        '    deploy: {resources: {limits: {memory: 1G}}}',
        '  web:',
        '    extends: base',
        '    ports: ["8443:443"]',
        '    environment: {B: "2"}',
        '  worker:',
        '    extends: {service: web}',
        '    command: work',
      ),
    );
    const worker = service(cf, 'worker');
    expect(worker.config).toMatchObject({
      image: 'app:1',
      command: 'work',
      ports: ['127.0.0.1:80:80', '8443:443'],
      environment: { A: '1', B: '2' },
      deploy: { resources: { limits: { memory: '1G' } } },
    });
    expect(worker.complete).toBe(true);
    expect(worker.locate(['ports', 0])?.key.line).toBe(4);
    expect(worker.locate(['ports', 1])?.key.line).toBe(9);
    expect(worker.locate(['environment', 'A'])?.key.line).toBe(5);
    expect(worker.locate(['environment', 'B'])?.key.line).toBe(10);
    expect(worker.locate(['deploy', 'resources', 'limits', 'memory'])?.key.line).toBe(6);
  });

  it('marks partial services: extends from another file, override fragments, extends cycles', () => {
    const cf = parse(
      yaml(
        'services:',
        '  a:',
        '    extends: {file: common.yml, service: web}',
        '  b:',
        '    environment: {DEBUG: "1"}',
        '  c:',
        '    image: x:1',
        '    extends: d',
        '  d:',
        '    extends: c',
        '  e:',
        '    extends: __proto__',
        '    image: x:1',
      ),
    );
    expect(cf.services.map((s) => [s.name, s.complete])).toEqual([
      ['a', false],
      ['b', false],
      ['c', true],
      ['d', true],
      ['e', false],
    ]);
  });

  it('accepts legacy v2/v3 files and empty services', () => {
    const cf = parse(
      yaml("version: '2.4'", 'services:', '  db:', '    image: postgres:16', '    mem_limit: 1g', '  empty:'),
    );
    expect(cf.services.map((s) => [s.name, s.config])).toEqual([
      ['db', { image: 'postgres:16', mem_limit: '1g' }],
      ['empty', {}],
    ]);
  });

  it('rejects what Compose rejects, with the line', () => {
    expect(parseError(yaml('services:', '  web: [1,', '  db: 2'))).toMatchObject({ line: 3 });
    expect(parseError(yaml('- a', '- b')).message).toContain('must be a mapping');
    expect(parseError(yaml('services: [a]'))).toMatchObject({
      line: 1,
      message: '"services" must be a mapping of service names',
    });
    expect(parseError(yaml('services:', '  web: nginx'))).toMatchObject({ line: 2 });
    expect(parseError(yaml('services: {}', '---', 'services: {}')).message).toContain('several');
    expect(parseError(yaml('services:', '  web: {}', '  web: {}'))).toMatchObject({
      line: 3,
      message: 'invalid YAML: duplicate key "web"',
    });
  });
});

describe('short and long syntaxes', () => {
  it('reads ports', () => {
    const cf = parse(
      yaml(
        'services:',
        '  s:',
        '    ports:',
        '      - 3000',
        '      - "8080:80"',
        '      - "127.0.0.1:9000-9001:9000-9001/udp"',
        '      - "[::1]:53:53/udp"',
        '      - {target: 443, published: "8443", host_ip: 10.0.0.1, protocol: tcp}',
      ),
    );
    expect(portMappings(service(cf, 's')).map(({ path, ...p }) => p)).toEqual([
      { target: '3000', protocol: 'tcp' },
      { published: '8080', target: '80', protocol: 'tcp' },
      { hostIp: '127.0.0.1', published: '9000-9001', target: '9000-9001', protocol: 'udp' },
      { hostIp: '::1', published: '53', target: '53', protocol: 'udp' },
      { hostIp: '10.0.0.1', published: '8443', target: '443', protocol: 'tcp' },
    ]);
  });

  it('reads volumes', () => {
    const cf = parse(
      yaml(
        'services:',
        '  s:',
        '    volumes:',
        '      - /data',
        '      - data:/var/lib/data:ro',
        '      - ./src:/src:rw,rshared',
        '      - ~/.aws:/root/.aws:ro',
        '      - /cache:ro',
        '      - {type: bind, source: /etc, target: /host/etc, read_only: true, bind: {propagation: rslave}}',
      ),
    );
    expect(mounts(service(cf, 's')).map(({ path, ...m }) => m)).toEqual([
      { type: 'volume', target: '/data', readOnly: false },
      { type: 'volume', source: 'data', target: '/var/lib/data', readOnly: true },
      { type: 'bind', source: './src', target: '/src', readOnly: false, propagation: 'rshared' },
      { type: 'bind', source: '~/.aws', target: '/root/.aws', readOnly: true },
      { type: 'volume', target: '/cache', readOnly: true },
      { type: 'bind', source: '/etc', target: '/host/etc', readOnly: true, propagation: 'rslave' },
    ]);
  });

  it('reads environment in list and mapping form', () => {
    const cf = parse(
      yaml(
        'services:',
        '  a:',
        '    environment: ["A=1", "B", "C=x=y"]',
        '  b:',
        '    environment: {A: 1, B: null, C: true}',
      ),
    );
    expect(variables(service(cf, 'a'), ['environment']).map((v) => [v.name, v.value])).toEqual([
      ['A', '1'],
      ['B', undefined],
      ['C', 'x=y'],
    ]);
    expect(variables(service(cf, 'b'), ['environment']).map((v) => [v.name, v.value])).toEqual([
      ['A', '1'],
      ['B', undefined],
      ['C', 'true'],
    ]);
  });
});

describe('detection', () => {
  it.each([
    ['docker-compose.yml', true],
    ['deploy/docker-compose.prod.yaml', true],
    ['compose.yaml', true],
    ['compose.override.yml', true],
    ['docker-compose-dev.yml', true],
    ['composer.yml', false],
    ['values.yaml', false],
  ])('by name: %s → %s', (path, expected) => {
    expect(composeKind.matchesName!(path)).toBe(expected);
  });

  it('by content: a top-level services mapping and only Compose top-level keys', () => {
    expect(
      composeKind.matchesContent!(
        yaml('x-common: &c {}', 'name: app', 'services:', '  web:', '    image: x:1'),
        'stack.yml',
      ),
    ).toBe(true);
    expect(
      composeKind.matchesContent!(yaml('replicaCount: 1', 'services:', '  web: {}'), 'values.yaml'),
    ).toBe(false);
    expect(composeKind.matchesContent!(yaml('apiVersion: v1', 'kind: Service'), 'svc.yaml')).toBe(false);
  });
});
