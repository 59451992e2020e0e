import type { Check } from '../../engine/check.js';
import type { ComposeFile } from '../model.js';
import { hitAtSetting } from '../queries.js';
import { onAllInterfaces, type PortMapping, portMappings, portNumbers } from '../service-fields.js';

const CIS = 'https://www.cisecurity.org/benchmark/docker';
const PORTS_REF = 'https://docs.docker.com/reference/compose-file/services/#ports';

/** Container ports of services that must not face a network: remote shells, container APIs, databases, queues. */
const SENSITIVE_PORTS: ReadonlyMap<number, string> = new Map([
  [22, 'SSH'],
  [23, 'Telnet'],
  [2375, 'Docker API'],
  [2376, 'Docker API'],
  [2379, 'etcd'],
  [2380, 'etcd'],
  [3306, 'MySQL'],
  [5432, 'PostgreSQL'],
  [6379, 'Redis'],
  [27017, 'MongoDB'],
  [27018, 'MongoDB'],
  [9200, 'Elasticsearch'],
  [9300, 'Elasticsearch'],
  [11211, 'memcached'],
  [5984, 'CouchDB'],
  [8086, 'InfluxDB'],
  [9042, 'Cassandra'],
  [1433, 'SQL Server'],
  [1521, 'Oracle'],
  [5672, 'AMQP'],
  [15672, 'RabbitMQ management'],
  [9092, 'Kafka'],
  [2181, 'ZooKeeper'],
  [8500, 'Consul'],
  [6443, 'Kubernetes API'],
  [10250, 'kubelet'],
  [3389, 'RDP'],
  [5900, 'VNC'],
]);

function sensitiveService(p: PortMapping): string | undefined {
  for (const n of portNumbers(p.target)) {
    const name = SENSITIVE_PORTS.get(n);
    if (name) return `${name} (${n})`;
  }
  return undefined;
}

function describe(p: PortMapping): string {
  return `${p.published ?? '(random)'}->${p.target}/${p.protocol}`;
}

export const publishedOnAllInterfaces: Check<ComposeFile> = {
  id: 'RF-DC-018',
  title: 'Port published on all interfaces',
  severity: 'MEDIUM',
  description:
    "A port published without a host address listens on every interface of the host, public ones included, and Docker's iptables rules bypass host firewalls such as ufw. A port given without a host port is published on a random port, also on every interface.",
  remediation:
    'Bind to the address that should be reachable: `"127.0.0.1:8080:8080"` for local use, or a specific interface address; use `expose` for service-to-service traffic.',
  references: [PORTS_REF, 'https://docs.docker.com/engine/network/packet-filtering-firewalls/', CIS],
  frameworks: { 'cis-docker': '5.14' },
  *run(cf) {
    for (const s of cf.services) {
      for (const p of portMappings(s)) {
        if (onAllInterfaces(p) && !sensitiveService(p)) {
          yield hitAtSetting(s, p.path, `service "${s.name}" publishes ${describe(p)} on all interfaces`);
        }
      }
    }
  },
};

export const sensitivePortOnAllInterfaces: Check<ComposeFile> = {
  id: 'RF-DC-019',
  title: 'Database or admin port published on all interfaces',
  severity: 'HIGH',
  description:
    'A database, cache, queue, remote shell or container API port is published on every host interface: such services are scanned for within minutes of going online and are often unauthenticated by default (Redis, Elasticsearch, the Docker API).',
  remediation:
    'Do not publish it; let other services reach it over the Compose network. If the host needs it, bind to 127.0.0.1.',
  references: [PORTS_REF, CIS],
  frameworks: { 'cis-docker': '5.14' },
  *run(cf) {
    for (const s of cf.services) {
      for (const p of portMappings(s)) {
        const what = sensitiveService(p);
        if (what && onAllInterfaces(p)) {
          yield hitAtSetting(
            s,
            p.path,
            `service "${s.name}" publishes ${what} as ${describe(p)} on all interfaces`,
          );
        }
      }
    }
  },
};

export const privilegedHostPort: Check<ComposeFile> = {
  id: 'RF-DC-020',
  title: 'Privileged host port mapped',
  severity: 'LOW',
  description:
    'Host ports below 1024 are reserved for privileged services; mapping one makes the container stand in for a system service (a web server, DNS, mail).',
  remediation:
    'Publish on a port above 1023, and put a reverse proxy or load balancer on the privileged port if one is needed.',
  references: [PORTS_REF, CIS],
  frameworks: { 'cis-docker': '5.8' },
  *run(cf) {
    for (const s of cf.services) {
      for (const p of portMappings(s)) {
        const low = portNumbers(p.published ?? '').find((n) => n > 0 && n < 1024);
        if (low !== undefined) yield hitAtSetting(s, p.path, `service "${s.name}" maps host port ${low}`);
      }
    }
  },
};
