import { describe, expect, it } from 'vitest';
import { MAX_HISTORY_ENTRIES, scanImageConfig } from '../../../src/config/image/scan-image-config.js';
import type { ImageConfig } from '../../../src/image/source.js';
import type { Finding } from '../../../src/types.js';

type History = NonNullable<ImageConfig['history']>;

const diffId = (n: number) => `sha256:${String(n).repeat(64)}`;
const TARGET = 'app.tar (image config)';

function image(history: History, fields: ImageConfig['config'] = {}): ImageConfig {
  const layers = history.filter((h) => !h.empty_layer).length;
  return {
    os: 'linux',
    config: fields,
    rootfs: { type: 'layers', diff_ids: Array.from({ length: layers }, (_, i) => diffId(i)) },
    history,
  };
}

const where = (f: Finding) =>
  `${f.ruleId} ${f.location.path}${f.location.line ? `:${f.location.line}` : ''}${f.location.layer ? ` ${f.location.layer.slice(0, 8)}` : ''}`;

/** An image imported from a root filesystem (as test/helpers/images.ts builds them), then built on. */
const IMPORTED: History = [{ comment: 'Imported from -' }];

describe('scanImageConfig', () => {
  it('finds what an image built without USER and HEALTHCHECK and with a secret in ENV gets wrong', () => {
    const config = image(
      [
        ...IMPORTED,
        { created_by: '/bin/sh -c #(nop)  ENV DB_PASSWORD=hunter2', empty_layer: true },
        { created_by: '/bin/sh -c apt-get update' },
        { created_by: 'ADD https://example.com/tool.tar.gz /opt/ # buildkit' },
        { created_by: '/bin/sh -c #(nop)  EXPOSE 22', empty_layer: true },
        { created_by: '/bin/sh -c #(nop)  CMD ["/usr/sbin/sshd" "-D"]', empty_layer: true },
      ],
      { Env: ['DB_PASSWORD=hunter2'], ExposedPorts: { '22/tcp': {} }, Cmd: ['/usr/sbin/sshd', '-D'] },
    );
    const { findings, errors } = scanImageConfig(config, TARGET);
    expect(errors).toEqual([]);
    expect(findings.map(where)).toEqual([
      'RF-DF-001 config',
      'RF-DF-002 config',
      'RF-DF-005 history:2',
      'RF-DF-003 history:3 sha256:1',
      'RF-DF-032 history:4 sha256:2',
      'RF-DF-039 history:5',
    ]);
    const secret = findings.find((f) => f.ruleId === 'RF-DF-005')!;
    expect(secret).toMatchObject({
      kind: 'misconfiguration',
      target: TARGET,
      severity: 'HIGH',
      status: 'open',
      location: { path: 'history', line: 2, endLine: 2, snippet: 'ENV DB_PASSWORD="hunter2"' },
      details: {
        message: 'ENV DB_PASSWORD holds a literal value',
        fileKind: 'image-config',
        frameworks: { 'cis-docker': '4.10' },
        createdBy: '/bin/sh -c #(nop)  ENV DB_PASSWORD=hunter2',
      },
    });
    expect(findings.find((f) => f.ruleId === 'RF-DF-001')?.details?.message).toBe(
      'the final stage (FROM base-image) never sets USER',
    );
  });

  it('finds nothing in a hardened image', () => {
    const config = image(
      [
        ...IMPORTED,
        { created_by: '/bin/sh -c #(nop) COPY file:aaaa in /app ' },
        { created_by: '/bin/sh -c #(nop)  USER 10001', empty_layer: true },
        {
          created_by: '/bin/sh -c #(nop)  HEALTHCHECK &{["CMD" "/app/health"] "30s" "3s" "0s" \'\\x00\'}',
          empty_layer: true,
        },
        { created_by: '/bin/sh -c #(nop)  CMD ["/app/server"]', empty_layer: true },
      ],
      { User: '10001', Healthcheck: { Test: ['CMD', '/app/health'] }, Cmd: ['/app/server'] },
    );
    expect(scanImageConfig(config, TARGET)).toEqual({ findings: [], errors: [] });
  });

  it('judges the user and health check the config ends up with, inherited or not', () => {
    const base: History = [
      { created_by: '/bin/sh -c #(nop) ADD file:aaaa in / ' },
      { created_by: '/bin/sh -c #(nop)  USER 65532', empty_layer: true },
      {
        created_by: '/bin/sh -c #(nop)  HEALTHCHECK &{["NONE"] "0s" "0s" "0s" \'\\x00\'}',
        empty_layer: true,
      },
      { created_by: '/bin/sh -c #(nop)  CMD ["/bin/sh"]', empty_layer: true },
    ];
    const own: History = [{ created_by: 'COPY app /app # buildkit' }];
    const inherited = image([...base, ...own], { User: '65532', Healthcheck: { Test: ['CMD', '/health'] } });
    expect(scanImageConfig(inherited, TARGET).findings).toEqual([]);
    const disabled = image([...base, ...own], { User: '65532', Healthcheck: { Test: ['NONE'] } });
    expect(scanImageConfig(disabled, TARGET).findings.map((f) => f.details?.message)).toEqual([
      'HEALTHCHECK NONE disables the health check',
    ]);
  });

  it("leaves out the checks of the FROM line, which names no real image, and the base image's build steps", () => {
    const config = image(
      [
        { created_by: '/bin/sh -c apt-get update' },
        { created_by: '/bin/sh -c #(nop)  CMD ["bash"]', empty_layer: true },
        { created_by: '/bin/sh -c echo app > /app' },
      ],
      { User: 'app', Healthcheck: { Test: ['CMD', '/health'] } },
    );
    expect(scanImageConfig(config, TARGET).findings).toEqual([]);
  });

  it('skips Windows images and refuses absurdly long histories with one error', () => {
    expect(scanImageConfig({ ...image([]), os: 'windows' }, TARGET)).toEqual({ findings: [], errors: [] });
    const long = image(Array.from({ length: MAX_HISTORY_ENTRIES + 1 }, () => ({ empty_layer: true })));
    expect(scanImageConfig(long, TARGET)).toEqual({
      findings: [],
      errors: [
        {
          path: TARGET,
          kind: 'image-config',
          message: `history has ${MAX_HISTORY_ENTRIES + 1} entries, over the limit of ${MAX_HISTORY_ENTRIES}; not scanned`,
        },
      ],
    });
  });

  it("honours an author's inline suppression recorded in a RUN script", () => {
    const config = image(
      [{ created_by: '/bin/sh -c apt-get update # ringfence:ignore:RF-DF-003 refreshed for the next stage' }],
      { User: 'app', Healthcheck: { Test: ['CMD', '/health'] } },
    );
    const [f] = scanImageConfig(config, TARGET).findings;
    expect(f).toMatchObject({ ruleId: 'RF-DF-003', status: 'ignored' });
  });
});
