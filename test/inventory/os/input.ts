import type { AnalyzerInput, ScanMode } from '../../../src/inventory/analyzer.js';

/** An analyzer input over an in-memory file, as the layer walker would hand it over. */
export function inputFor(path: string, data: Buffer | string, scanMode: ScanMode = 'image'): AnalyzerInput {
  const buf = typeof data === 'string' ? Buffer.from(data) : data;
  return {
    path,
    size: buf.length,
    mode: 0o644,
    scanMode,
    content: {
      size: buf.length,
      read: async () => buf,
      readAt: async (offset, length) => buf.subarray(offset, Math.min(buf.length, offset + length)),
    },
  };
}

export function fixture(dir: string, name: string): string {
  return new URL(`${dir}/fixtures/${name}`, import.meta.url).pathname;
}
