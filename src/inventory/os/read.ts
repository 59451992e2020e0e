import type { AnalyzerInput } from '../analyzer.js';

/** The whole file, or a warning naming it when it is larger than an OS package DB can plausibly be. */
export async function readWithin(
  input: AnalyzerInput,
  limit: number,
): Promise<{ data: Buffer } | { warning: string }> {
  if (input.size > limit)
    return { warning: `${input.path}: ${input.size} bytes is more than the ${limit}-byte limit; skipped` };
  return { data: await input.content.read() };
}

export const MiB = 1024 * 1024;

/** Package-DB content that cannot be what it claims to be; analyzers report it as a warning naming the file. */
export class CorruptDbError extends Error {
  override name = 'CorruptDbError';
}
