import { isRecord } from '../untrusted.js';

/**
 * Licenses as a package.json (or a package-lock entry) declares them: the `license` string,
 * and the legacy forms npm still meets in old packages: `license: {type}` and a `licenses`
 * array of strings or `{type, url}` objects.
 */
export function npmLicenses(manifest: Record<string, unknown>): string[] {
  return [...declared(manifest.license), ...declared(manifest.licenses)];
}

function declared(value: unknown): string[] {
  if (Array.isArray(value)) return value.map(single).filter((l): l is string => l !== undefined);
  const one = single(value);
  return one === undefined ? [] : [one];
}

function single(value: unknown): string | undefined {
  if (typeof value === 'string') return value;
  if (isRecord(value) && typeof value.type === 'string') return value.type;
  return undefined;
}
