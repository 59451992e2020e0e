/** Thrown for a vector string that does not follow its CVSS version's grammar. */
export class CvssError extends Error {
  override name = 'CvssError';
}

/** Metric abbreviation → the values the spec allows for it. */
type MetricTable = Readonly<Record<string, readonly string[]>>;

/**
 * Splits "K:V/K:V/..." into a map, checking every metric against the version's table: each
 * may appear once, with an allowed value, and every one in `required` must be present.
 */
export function readMetrics(
  body: string,
  allowed: MetricTable,
  required: readonly string[],
  label: string,
): Map<string, string> {
  const metrics = new Map<string, string>();
  for (const part of body.split('/')) {
    const colon = part.indexOf(':');
    if (colon <= 0) throw new CvssError(`${label}: "${part}" is not METRIC:VALUE`);
    const key = part.slice(0, colon);
    const value = part.slice(colon + 1);
    const values = Object.hasOwn(allowed, key) ? allowed[key] : undefined;
    if (!values) throw new CvssError(`${label}: unknown metric ${key}`);
    if (!values.includes(value)) throw new CvssError(`${label}: ${key}:${value} is not an allowed value`);
    if (metrics.has(key)) throw new CvssError(`${label}: metric ${key} appears twice`);
    metrics.set(key, value);
  }
  for (const key of required)
    if (!metrics.has(key)) throw new CvssError(`${label}: base metric ${key} is missing`);
  return metrics;
}

/** The value of a metric that readMetrics has already checked is present. */
export function metric(metrics: Map<string, string>, key: string): string {
  return metrics.get(key) as string;
}
