// biome-ignore-all lint/suspicious/noTemplateCurlyInString: the Dockerfile and Compose variable syntax under test is written in plain strings
import { describe, expect, it } from 'vitest';
import { composeChecks } from '../../../src/config/compose/checks/index.js';
import { composeKind } from '../../../src/config/compose/kind.js';
import { scanSource } from '../../../src/config/engine/scan-source.js';

/** [compose file, expected [line, endLine] of each finding of the rule]. */
type Bad = [string, [number, number][]];
interface Case {
  bad: Bad[];
  good: string[];
}

const yaml = (...l: string[]): string => `${l.join('\n')}\n`;
/** A service that satisfies every "something missing" check, so only the lines under test matter. */
const HARDENED = [
  '    cap_drop: [ALL]',
  '    security_opt: ["no-new-privileges:true"]',
  '    read_only: true',
  '    user: "10001"',
  '    deploy: {resources: {limits: {memory: 256M, cpus: "0.5", pids: 100}}}',
];

const CASES: Record<string, Case> = {
  'RF-DC-001': {
    bad: [
      [yaml('services:', '  web:', '    image: nginx:1.27', '    privileged: true'), [[4, 4]]],
      [
        yaml(
          'x-common: &common',
          '  privileged: "true"',
          'services:',
          '  web:',
          '    <<: *common',
          '    image: nginx:1.27',
        ),
        [[2, 2]],
      ],
    ],
    good: [yaml('services:', '  web:', '    image: nginx:1.27', '    privileged: false')],
  },
  'RF-DC-002': {
    bad: [
      [
        yaml(
          'services:',
          '  web:',
          '    image: nginx:1.27',
          '    cap_add:',
          '      - NET_BIND_SERVICE',
          '      - SYS_ADMIN',
        ),
        [[6, 6]],
      ],
      [
        yaml('services:', '  web:', '    image: nginx:1.27', '    cap_add: [CAP_SYS_PTRACE, ALL]'),
        [
          [4, 4],
          [4, 4],
        ],
      ],
    ],
    good: [yaml('services:', '  web:', '    image: nginx:1.27', '    cap_add: [NET_BIND_SERVICE, CHOWN]')],
  },
  'RF-DC-003': {
    bad: [
      [yaml('services:', '  web:', '    image: nginx:1.27'), [[2, 2]]],
      [yaml('services:', '  web:', '    image: nginx:1.27', '    cap_drop:', '      - NET_RAW'), [[4, 5]]],
    ],
    good: [
      yaml('services:', '  web:', '    image: nginx:1.27', '    cap_drop: [all]'),
      yaml('services:', '  web:', '    environment:', '      DEBUG: "1"'),
    ],
  },
  'RF-DC-004': {
    bad: [[yaml('services:', '  web:', '    image: nginx:1.27', '    network_mode: host'), [[4, 4]]]],
    good: [yaml('services:', '  web:', '    image: nginx:1.27', '    network_mode: "service:vpn"')],
  },
  'RF-DC-005': {
    bad: [[yaml('services:', '  web:', '    image: nginx:1.27', '    pid: host'), [[4, 4]]]],
    good: [yaml('services:', '  web:', '    image: nginx:1.27', '    pid: "service:db"')],
  },
  'RF-DC-006': {
    bad: [[yaml('services:', '  web:', '    image: nginx:1.27', '    ipc: host'), [[4, 4]]]],
    good: [yaml('services:', '  web:', '    image: nginx:1.27', '    ipc: private')],
  },
  'RF-DC-007': {
    bad: [[yaml('services:', '  web:', '    image: nginx:1.27', '    uts: host'), [[4, 4]]]],
    good: [yaml('services:', '  web:', '    image: nginx:1.27')],
  },
  'RF-DC-008': {
    bad: [[yaml('services:', '  web:', '    image: nginx:1.27', '    userns_mode: host'), [[4, 4]]]],
    good: [yaml('services:', '  web:', '    image: nginx:1.27')],
  },
  'RF-DC-009': {
    bad: [
      [
        yaml(
          'services:',
          '  ci:',
          '    image: docker:26',
          '    volumes:',
          '      - /var/run/docker.sock:/var/run/docker.sock:ro',
        ),
        [[5, 5]],
      ],
      [
        yaml(
          'services:',
          '  ci:',
          '    image: docker:26',
          '    volumes:',
          '      - type: bind',
          '        source: /run/containerd/containerd.sock',
          '        target: /run/containerd/containerd.sock',
        ),
        [[5, 7]],
      ],
    ],
    good: [yaml('services:', '  ci:', '    image: docker:26', '    volumes:', '      - docker-certs:/certs')],
  },
  'RF-DC-010': {
    bad: [
      [
        yaml(
          'services:',
          '  agent:',
          '    image: x:1',
          '    volumes:',
          '      - /:/host:ro',
          '      - /etc/:/host-etc',
        ),
        [
          [5, 5],
          [6, 6],
        ],
      ],
      [
        yaml(
          'services:',
          '  agent:',
          '    image: x:1',
          '    volumes: ["~/.ssh:/root/.ssh:ro", "/sys/kernel:/sys/kernel"]',
        ),
        [
          [4, 4],
          [4, 4],
        ],
      ],
      [
        yaml(
          'services:',
          '  agent:',
          '    image: x:1',
          '    volumes:',
          '      - type: bind',
          '        source: /proc',
          '        target: /host/proc',
          '        read_only: true',
        ),
        [[5, 8]],
      ],
    ],
    good: [
      yaml(
        'services:',
        '  app:',
        '    image: x:1',
        '    volumes:',
        '      - ./data:/data',
        '      - /etc/localtime:/etc/localtime:ro',
        '      - db-data:/var/lib/postgresql/data',
        '      - /srv/app/config:/config:ro',
        '      - /sys/fs/cgroup:/sys/fs/cgroup:ro',
      ),
    ],
  },
  'RF-DC-011': {
    bad: [
      [
        yaml('services:', '  app:', '    image: x:1', '    volumes:', '      - ./mnt:/mnt:rw,rshared'),
        [[5, 5]],
      ],
      [
        yaml(
          'services:',
          '  app:',
          '    image: x:1',
          '    volumes:',
          '      - type: bind',
          '        source: ./mnt',
          '        target: /mnt',
          '        bind:',
          '          propagation: shared',
        ),
        [[5, 9]],
      ],
    ],
    good: [yaml('services:', '  app:', '    image: x:1', '    volumes:', '      - ./mnt:/mnt:rslave')],
  },
  'RF-DC-012': {
    bad: [
      [
        yaml(
          'services:',
          '  app:',
          '    image: x:1',
          '    environment:',
          '      API_TOKEN: abc123',
          '      LOG_LEVEL: info',
        ),
        [[5, 5]],
      ],
      [
        yaml(
          'services:',
          '  app:',
          '    image: x:1',
          '    environment:',
          '      - LOG_LEVEL=info',
          '      - DB_PASSWORD=hunter2',
        ),
        [[6, 6]],
      ],
      [
        yaml(
          'services:',
          '  app:',
          '    image: x:1',
          '    environment:',
          '      DATABASE_URL: postgres://app:pw@db/app',
        ),
        [[5, 5]],
      ],
    ],
    good: [
      yaml(
        'services:',
        '  app:',
        '    image: x:1',
        '    environment:',
        '      DB_PASSWORD_FILE: /run/secrets/db',
        '      DATABASE_PASSWORD: /run/secrets/db-password',
        '      MYSQL_ALLOW_EMPTY_PASSWORD: "yes"',
        '      API_TOKEN: ${API_TOKEN}',
        '      SECRET_KEY:',
      ),
    ],
  },
  'RF-DC-013': {
    bad: [
      [
        yaml(
          'services:',
          '  app:',
          '    image: x:1',
          '    environment:',
          '      DB_PASSWORD: ${DB_PASSWORD}',
        ),
        [[5, 5]],
      ],
      [
        yaml('services:', '  app:', '    image: x:1', '    environment:', '      - "API_KEY=${KEY:-dev}"'),
        [[5, 5]],
      ],
      [
        yaml(
          'services:',
          '  app:',
          '    image: x:1',
          '    environment:',
          '      - GITHUB_TOKEN',
          '      - DEBUG',
        ),
        [[5, 5]],
      ],
    ],
    good: [
      yaml(
        'services:',
        '  app:',
        '    image: x:1',
        '    environment:',
        '      LOG_LEVEL: ${LEVEL}',
        '      PASSWORD: hunter2',
      ),
    ],
  },
  'RF-DC-014': {
    bad: [
      [
        yaml(
          'services:',
          '  app:',
          '    build:',
          '      context: .',
          '      args:',
          '        NPM_TOKEN: abc',
        ),
        [[6, 6]],
      ],
    ],
    good: [yaml('services:', '  app:', '    build:', '      context: .', '      args: [VERSION=1.2]')],
  },
  'RF-DC-015': {
    bad: [[yaml('services:', '  app:', '    image: x:1', '    cpus: 1'), [[2, 2]]]],
    good: [
      yaml('services:', '  app:', '    image: x:1', '    mem_limit: 512m'),
      yaml(
        'services:',
        '  app:',
        '    image: x:1',
        '    deploy:',
        '      resources:',
        '        limits:',
        '          memory: 512M',
      ),
    ],
  },
  'RF-DC-016': {
    bad: [[yaml('services:', '  app:', '    image: x:1', '    mem_limit: 1g'), [[2, 2]]]],
    good: [
      yaml('services:', '  app:', '    image: x:1', '    cpu_shares: 512'),
      yaml('services:', '  app:', '    image: x:1', '    deploy: {resources: {limits: {cpus: "1.5"}}}'),
    ],
  },
  'RF-DC-017': {
    bad: [[yaml('services:', '  app:', '    image: x:1'), [[2, 2]]]],
    good: [yaml('services:', '  app:', '    image: x:1', '    pids_limit: 100')],
  },
  'RF-DC-018': {
    bad: [
      [
        yaml(
          'services:',
          '  app:',
          '    image: x:1',
          '    ports:',
          '      - "8080:80"',
          '      - 3000',
          '      - "0.0.0.0:9000:9000/udp"',
        ),
        [
          [5, 5],
          [6, 6],
          [7, 7],
        ],
      ],
      [
        yaml(
          'services:',
          '  app:',
          '    image: x:1',
          '    ports:',
          '      - target: 80',
          '        published: 8080',
        ),
        [[5, 6]],
      ],
    ],
    good: [
      yaml(
        'services:',
        '  app:',
        '    image: x:1',
        '    ports:',
        '      - "127.0.0.1:8080:80"',
        '      - "[::1]:8443:443"',
        '    expose: ["9000"]',
      ),
    ],
  },
  'RF-DC-019': {
    bad: [
      [yaml('services:', '  db:', '    image: postgres:16', '    ports:', '      - "5433:5432"'), [[5, 5]]],
      [
        yaml(
          'services:',
          '  cache:',
          '    image: redis:7',
          '    ports:',
          '      - target: 6379',
          '        published: "6379"',
          '        host_ip: 0.0.0.0',
        ),
        [[5, 7]],
      ],
    ],
    good: [
      yaml('services:', '  db:', '    image: postgres:16', '    ports:', '      - "127.0.0.1:5432:5432"'),
    ],
  },
  'RF-DC-020': {
    bad: [
      [
        yaml('services:', '  web:', '    image: nginx:1.27', '    ports:', '      - "127.0.0.1:80:8080"'),
        [[5, 5]],
      ],
    ],
    good: [yaml('services:', '  web:', '    image: nginx:1.27', '    ports:', '      - "127.0.0.1:8080:80"')],
  },
  'RF-DC-021': {
    bad: [[yaml('services:', '  web:', '    image: nginx:latest'), [[3, 3]]]],
    good: [
      yaml('services:', '  web:', '    image: nginx:1.27'),
      yaml('services:', '  web:', '    build: .', '    image: myapp:latest'),
    ],
  },
  'RF-DC-022': {
    bad: [[yaml('services:', '  web:', '    image: ghcr.io/acme/web'), [[3, 3]]]],
    good: [
      yaml('services:', '  web:', '    image: ghcr.io/acme/web@sha256:0123456789abcdef'),
      yaml('services:', '  web:', '    image: ${IMAGE}'),
      yaml('services:', '  web:', '    build: ./web', '    image: acme/web'),
    ],
  },
  'RF-DC-023': {
    bad: [
      [
        yaml('services:', '  app:', '    image: x:1', '    security_opt:', '      - seccomp=unconfined'),
        [[5, 5]],
      ],
    ],
    good: [
      yaml('services:', '  app:', '    image: x:1', '    security_opt:', '      - seccomp:./seccomp.json'),
    ],
  },
  'RF-DC-024': {
    bad: [
      [yaml('services:', '  app:', '    image: x:1', '    security_opt: ["apparmor:unconfined"]'), [[4, 4]]],
    ],
    good: [yaml('services:', '  app:', '    image: x:1', '    security_opt: ["apparmor:docker-default"]')],
  },
  'RF-DC-025': {
    bad: [[yaml('services:', '  app:', '    image: x:1', '    security_opt: ["label:disable"]'), [[4, 4]]]],
    good: [yaml('services:', '  app:', '    image: x:1', '    security_opt: ["label:type:svirt_apache_t"]')],
  },
  'RF-DC-026': {
    bad: [
      [yaml('services:', '  app:', '    image: x:1'), [[2, 2]]],
      [
        yaml('services:', '  app:', '    image: x:1', '    security_opt:', '      - no-new-privileges:false'),
        [[5, 5]],
      ],
    ],
    good: [
      yaml('services:', '  app:', '    image: x:1', '    security_opt: ["no-new-privileges:true"]'),
      yaml('services:', '  app:', '    image: x:1', '    security_opt: [no-new-privileges]'),
    ],
  },
  'RF-DC-027': {
    bad: [
      [yaml('services:', '  app:', '    image: x:1'), [[2, 2]]],
      [yaml('services:', '  app:', '    image: x:1', '    read_only: false'), [[4, 4]]],
    ],
    good: [yaml('services:', '  app:', '    image: x:1', '    read_only: true')],
  },
  'RF-DC-028': {
    bad: [
      [yaml('services:', '  app:', '    image: x:1', '    user: root'), [[4, 4]]],
      [yaml('services:', '  app:', '    image: x:1', '    user: "0:0"'), [[4, 4]]],
    ],
    good: [yaml('services:', '  app:', '    image: x:1', '    user: "1000:1000"')],
  },
  'RF-DC-029': {
    bad: [[yaml('services:', '  app:', '    image: x:1'), [[2, 2]]]],
    good: [yaml('services:', '  app:', '    image: x:1', '    user: app')],
  },
  'RF-DC-030': {
    bad: [
      [
        yaml(
          'services:',
          '  app:',
          '    image: x:1',
          '    devices:',
          '      - /dev/sda:/dev/sda',
          '    device_cgroup_rules:',
          "      - 'c 1:3 mr'",
        ),
        [
          [5, 5],
          [7, 7],
        ],
      ],
    ],
    good: [yaml('services:', '  app:', '    image: x:1', '    tmpfs: [/tmp]')],
  },
  'RF-DC-031': {
    bad: [
      [yaml('services:', '  app:', '    image: x:1', '    restart: unless-stopped'), [[4, 4]]],
      [
        yaml(
          'services:',
          '  app:',
          '    image: x:1',
          '    deploy:',
          '      restart_policy:',
          '        condition: on-failure',
        ),
        [[5, 6]],
      ],
    ],
    good: [
      yaml('services:', '  app:', '    image: x:1', '    restart: "on-failure:5"'),
      yaml(
        'services:',
        '  app:',
        '    image: x:1',
        '    deploy:',
        '      restart_policy: {condition: on-failure, max_attempts: 5}',
      ),
    ],
  },
  'RF-DC-032': {
    bad: [
      [yaml('services:', '  app:', '    image: x:1', '    healthcheck:', '      disable: true'), [[5, 5]]],
      [yaml('services:', '  app:', '    image: x:1', '    healthcheck:', '      test: ["NONE"]'), [[5, 5]]],
    ],
    good: [
      yaml(
        'services:',
        '  app:',
        '    image: x:1',
        '    healthcheck:',
        '      test: ["CMD", "curl", "-f", "http://localhost/"]',
      ),
    ],
  },
  'RF-DC-033': {
    bad: [[yaml('services:', '  app:', '    image: x:1', '    oom_kill_disable: true'), [[4, 4]]]],
    good: [yaml('services:', '  app:', '    image: x:1', '    oom_kill_disable: false')],
  },
  'RF-DC-034': {
    bad: [[yaml('services:', '  app:', '    image: x:1', '    cgroup: host'), [[4, 4]]]],
    good: [yaml('services:', '  app:', '    image: x:1', '    cgroup: private')],
  },
};

function ranges(text: string, ruleId: string): [number, number][] {
  const result = scanSource(composeKind, { path: 'compose.yaml', text, companions: new Map() });
  expect(result.errors).toEqual([]);
  return result.findings
    .filter((f) => f.ruleId === ruleId)
    .map((f) => [f.location.line!, f.location.endLine!] as [number, number]);
}

describe('Compose checks', () => {
  it('has a good and a bad example for every check, and no example for a check that does not exist', () => {
    const ids = composeChecks.map((c) => c.id);
    expect(new Set(ids).size).toBe(ids.length);
    expect(Object.keys(CASES).sort()).toEqual([...ids].sort());
  });

  for (const [id, c] of Object.entries(CASES)) {
    describe(id, () => {
      c.bad.forEach(([text, expected], i) => {
        it(`fires on bad example ${i + 1} at the right lines`, () => {
          expect(ranges(text, id)).toEqual(expected);
        });
      });
      c.good.forEach((text, i) => {
        it(`stays quiet on good example ${i + 1}`, () => {
          expect(ranges(text, id)).toEqual([]);
        });
      });
    });
  }

  it('finds nothing in a hardened service', () => {
    const text = yaml(
      'services:',
      '  app:',
      '    image: ghcr.io/acme/app:1.4.2@sha256:0123456789abcdef',
      ...HARDENED,
      '    restart: "on-failure:5"',
      '    ports: ["127.0.0.1:8080:8080"]',
    );
    const result = scanSource(composeKind, { path: 'compose.yaml', text, companions: new Map() });
    expect(result.findings.map((f) => f.ruleId)).toEqual([]);
  });

  it('gives every check the metadata a report needs', () => {
    for (const c of composeChecks) {
      expect(c.id).toMatch(/^RF-DC-\d{3}$/);
      expect(c.description.length).toBeGreaterThan(40);
      expect(c.remediation.length).toBeGreaterThan(10);
      for (const r of c.references) expect(r).toMatch(/^https:\/\//);
    }
    const cis = Object.fromEntries(composeChecks.map((c) => [c.id, c.frameworks?.['cis-docker']]));
    expect(cis).toMatchObject({
      'RF-DC-001': '5.5',
      'RF-DC-004': '5.10',
      'RF-DC-009': '5.32',
      'RF-DC-026': '5.26',
    });
  });
});
