import { isUnknown, type Maybe, UNKNOWN } from '../../unknown.js';
import { type AwsCheck, CIS_AWS, hitAt } from '../hits.js';
import type { IngressRule } from '../model.js';

const SG_DOCS = 'https://docs.aws.amazon.com/vpc/latest/userguide/security-group-rules.html';
const ADMIN_PORTS = [22, 3389];
const DATABASE_PORTS = [1433, 1521, 3306, 5432, 5984, 6379, 9042, 9200, 9300, 11211, 27017, 50000];

type Span = 'all' | { protocol: 'tcp' | 'udp'; from: number; to: number } | 'other';

/** Which ports a rule opens: all of them, a TCP/UDP range, or something else (ICMP...). */
function span(rule: IngressRule): Maybe<Span> {
  const protocol = rule.protocol.value;
  if (isUnknown(protocol)) return UNKNOWN;
  const p = protocol.trim().toLowerCase();
  if (p === '-1' || p === 'all') return 'all';
  const family = p === 'tcp' || p === '6' ? 'tcp' : p === 'udp' || p === '17' ? 'udp' : undefined;
  if (!family) return 'other';
  const from = rule.fromPort.value;
  const to = rule.toPort.value;
  if (isUnknown(from) || isUnknown(to)) return UNKNOWN;
  if (from <= 0 && to >= 65535) return 'all';
  return { protocol: family, from, to };
}

/** Any /0 network is the whole internet (0.0.0.0/0, ::/0). */
function worldCidrs(rule: IngressRule) {
  return rule.cidrs.filter(
    (c): c is { value: string; at: typeof c.at } =>
      typeof c.value === 'string' && /\/0$/.test(c.value.trim()),
  );
}

function openPorts(s: Span, ports: readonly number[], protocols: readonly string[]): number[] {
  if (typeof s !== 'object' || !protocols.includes(s.protocol)) return [];
  return ports.filter((p) => s.from <= p && p <= s.to);
}

function* portHits(rule: IngressRule, ports: readonly number[], what: string) {
  const s = span(rule);
  if (isUnknown(s)) return;
  const open = openPorts(s, ports, what === 'database' ? ['tcp'] : ['tcp', 'udp']);
  if (open.length === 0) return;
  for (const cidr of worldCidrs(rule))
    yield hitAt(
      rule.resource,
      cidr.at,
      `${rule.resource.address} allows ${what} port${open.length > 1 ? 's' : ''} ${open.join(', ')} from ${cidr.value}`,
    );
}

export const adminPortsOpen: AwsCheck = {
  id: 'RF-AWS-001',
  title: 'Security group opens SSH or RDP to the internet',
  severity: 'CRITICAL',
  description:
    'An ingress rule lets anyone on the internet (0.0.0.0/0 or ::/0) reach port 22 (SSH) or 3389 (RDP). Remote administration ports are scanned constantly and are the usual way in for password spraying and exploits of the service.',
  remediation:
    'Restrict the rule to the addresses that administer the host (a VPN or bastion range), or remove it and use AWS Systems Manager Session Manager instead.',
  references: [SG_DOCS, CIS_AWS],
  frameworks: { 'cis-aws': '5.2, 5.3' },
  *run(m) {
    for (const rule of m.ingressRules) yield* portHits(rule, ADMIN_PORTS, 'remote administration');
  },
};

export const allPortsOpen: AwsCheck = {
  id: 'RF-AWS-002',
  title: 'Security group opens every port to the internet',
  severity: 'CRITICAL',
  description:
    'An ingress rule allows all protocols (-1) or the whole port range from 0.0.0.0/0 or ::/0: every service listening on the instances, including ones never meant to be exposed, is reachable by anyone.',
  remediation: 'Allow only the ports the service needs, and only from the networks that need them.',
  references: [SG_DOCS, CIS_AWS],
  frameworks: { 'cis-aws': '5.2, 5.3' },
  *run(m) {
    for (const rule of m.ingressRules) {
      if (span(rule) !== 'all') continue;
      for (const cidr of worldCidrs(rule))
        yield hitAt(rule.resource, cidr.at, `${rule.resource.address} allows all ports from ${cidr.value}`);
    }
  },
};

export const databasePortsOpen: AwsCheck = {
  id: 'RF-AWS-003',
  title: 'Security group opens a database port to the internet',
  severity: 'HIGH',
  description:
    'An ingress rule lets anyone on the internet reach a database or cache port (MySQL 3306, PostgreSQL 5432, SQL Server 1433, Oracle 1521, MongoDB 27017, Redis 6379, Elasticsearch 9200, Memcached 11211...). Databases exposed this way are found within hours and attacked with default credentials and known exploits.',
  remediation:
    'Allow the database port only from the application tier (reference its security group) or a private range; keep databases in private subnets.',
  references: [SG_DOCS],
  *run(m) {
    for (const rule of m.ingressRules) yield* portHits(rule, DATABASE_PORTS, 'database');
  },
};

export const httpWithoutRedirect: AwsCheck = {
  id: 'RF-AWS-033',
  title: 'Load balancer listener serves plain HTTP',
  severity: 'LOW',
  description:
    'A load balancer listener accepts HTTP and does not redirect to HTTPS, so requests, cookies and credentials travel unencrypted between clients and the load balancer.',
  remediation:
    'Serve HTTPS (protocol HTTPS with a certificate); keep an HTTP listener only with a default action that redirects to HTTPS.',
  references: [
    'https://docs.aws.amazon.com/elasticloadbalancing/latest/application/load-balancer-listeners.html',
  ],
  *run(m) {
    for (const l of m.listeners) {
      if (l.protocol.value === 'HTTP' && l.redirects === false)
        yield hitAt(
          l.resource,
          l.protocol.at,
          `${l.resource.address} listens on HTTP without redirecting to HTTPS`,
        );
    }
  },
};
