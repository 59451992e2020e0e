import type { Finding } from '../../src/types.js';

export function vuln(
  id: string,
  severity: Finding['severity'],
  pkgName: string,
  extra: Partial<Finding> = {},
): Finding {
  return {
    kind: 'vulnerability',
    ruleId: id,
    severity,
    title: `${id} in ${pkgName}`,
    target: 'app.tar (debian 12)',
    location: { path: 'var/lib/dpkg/status', layer: 'sha256:abc' },
    fix: '1.2.4',
    references: [`https://example.org/${id}`],
    status: 'open',
    details: {
      package: { name: pkgName, version: '1.2.3', purl: `pkg:deb/debian/${pkgName}@1.2.3` },
      aliases: [],
    },
    ...extra,
  };
}

export function misconfig(id: string, severity: Finding['severity'], path: string, line: number): Finding {
  return {
    kind: 'misconfiguration',
    ruleId: id,
    severity,
    title: `check ${id}`,
    target: path,
    location: { path, line, endLine: line + 1, snippet: 'USER root' },
    fix: 'add a USER instruction',
    references: [],
    status: 'open',
  };
}
