import { UserError } from '../util/errors.js';
import { FormatError } from './format-error.js';
import type { Descriptor } from './oci-json.js';

/** Image platforms as `--platform os/arch[/variant]` names them, normalised as containerd does. */
export interface Platform {
  os: string;
  architecture: string;
  variant?: string;
}

const ARCH_ALIASES: Record<string, string> = {
  x86_64: 'amd64',
  'x86-64': 'amd64',
  aarch64: 'arm64',
  i386: '386',
  i686: '386',
  armhf: 'arm',
  armel: 'arm',
};

/** Normalises architecture aliases and the default variants (arm64 → v8, arm → v7). */
export function normalizePlatform(p: Platform): Platform {
  const architecture = ARCH_ALIASES[p.architecture.toLowerCase()] ?? p.architecture.toLowerCase();
  let variant = p.variant?.toLowerCase() || undefined;
  if (architecture === 'arm64' && variant === undefined) variant = 'v8';
  if (architecture === 'arm' && variant === undefined) variant = 'v7';
  if (architecture === 'arm' && variant === '8') variant = 'v8';
  return { os: p.os.toLowerCase(), architecture, variant };
}

export function parsePlatform(value: string): Platform {
  const parts = value.split('/');
  if (parts.length < 2 || parts.length > 3 || parts.some((p) => !/^[A-Za-z0-9_.-]+$/.test(p)))
    throw new UserError(
      `--platform ${value}: expected os/arch[/variant], e.g. linux/amd64 or linux/arm64/v8`,
    );
  return normalizePlatform({ os: parts[0]!, architecture: parts[1]!, variant: parts[2] });
}

export function formatPlatform(p: Platform): string {
  return [p.os, p.architecture, p.variant].filter(Boolean).join('/');
}

const NODE_ARCH: Record<string, Platform> = {
  x64: { os: 'linux', architecture: 'amd64' },
  arm64: { os: 'linux', architecture: 'arm64', variant: 'v8' },
  arm: { os: 'linux', architecture: 'arm', variant: 'v7' },
  ia32: { os: 'linux', architecture: '386' },
  ppc64: { os: 'linux', architecture: 'ppc64le' },
  s390x: { os: 'linux', architecture: 's390x' },
  riscv64: { os: 'linux', architecture: 'riscv64' },
};

/** The platform an image for this machine has (containers are Linux whatever the host). */
export function hostPlatform(): Platform {
  return NODE_ARCH[process.arch] ?? { os: 'linux', architecture: process.arch };
}

/** Does an image for `have` satisfy a request for `want`? A request without variant takes any. */
export function platformMatches(want: Platform, have: Platform): boolean {
  const w = normalizePlatform(want);
  const h = normalizePlatform(have);
  if (w.os !== h.os || w.architecture !== h.architecture) return false;
  return want.variant === undefined || w.variant === h.variant;
}

/** BuildKit's provenance and SBOM attestations: manifests for platform unknown/unknown, never images to scan. */
export function isAttestation(d: Descriptor): boolean {
  return (
    d.annotations?.['vnd.docker.reference.type'] === 'attestation-manifest' ||
    (d.platform?.os === 'unknown' && d.platform.architecture === 'unknown')
  );
}

/**
 * The items whose platform matches `want`; none is an error that lists what is available.
 * `subject` starts the message ("index x " or "" when the caller adds its own).
 */
export function selectByPlatform<T>(
  items: T[],
  platformOf: (item: T) => Platform | undefined,
  want: Platform,
  subject: string,
): T[] {
  const matching = items.filter((item) => {
    const p = platformOf(item);
    return p !== undefined && platformMatches(want, p);
  });
  if (matching.length > 0) return matching;
  const available = [
    ...new Set(
      items.map((item) => {
        const p = platformOf(item);
        return p ? formatPlatform(p) : 'unknown';
      }),
    ),
  ].join(', ');
  throw new FormatError(
    `${subject}has no image for platform ${formatPlatform(want)} (available: ${available}); choose one with --platform`,
  );
}
