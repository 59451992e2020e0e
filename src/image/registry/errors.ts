/**
 * Why a registry could not give us an image. `unavailable` failures (cannot connect, not found,
 * not allowed) let the next image source (--image-src) try; the others stop the scan.
 */

type RegistryFailure = 'unreachable' | 'not-found' | 'unauthorized' | 'protocol';

export class RegistryError extends Error {
  override readonly name = 'RegistryError';

  constructor(
    message: string,
    readonly failure: RegistryFailure,
  ) {
    super(message);
  }

  get unavailable(): boolean {
    return this.failure !== 'protocol';
  }
}

/**
 * The distribution spec's error body, {"errors": [{"code", "message"}]}, as "message (CODE)";
 * anything else as its first line, clipped; empty bodies as undefined.
 */
export function describeErrorBody(body: Buffer): string | undefined {
  const text = body.toString('utf8').trim();
  if (text === '') return undefined;
  try {
    const doc = JSON.parse(text) as { errors?: unknown };
    if (Array.isArray(doc.errors) && doc.errors.length > 0) {
      const parts = doc.errors.slice(0, 3).map((e) => {
        const { code, message } = (typeof e === 'object' && e !== null ? e : {}) as Record<string, unknown>;
        const m = typeof message === 'string' ? oneLine(message) : undefined;
        const c = typeof code === 'string' ? oneLine(code) : undefined;
        return m && c ? `${m} (${c})` : (m ?? c ?? 'unknown error');
      });
      return parts.join('; ');
    }
  } catch {
    // not the spec's JSON: fall through to the text
  }
  return /^\s*</.test(text) ? undefined : oneLine(text);
}

function oneLine(s: string): string {
  const line = s.split(/\r?\n/).find((l) => l.trim() !== '') ?? '';
  return line.length > 200 ? `${line.slice(0, 197)}...` : line.trim();
}
