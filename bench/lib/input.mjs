// Analyzer inputs for the benches, shaped as the layer walker hands files over.

/** An analyzer input over a file held in memory. */
export function memoryInput(path, buf, scanMode = 'image') {
  return {
    path,
    size: buf.length,
    mode: 0o644,
    scanMode,
    content: {
      size: buf.length,
      read: async () => buf,
      readAt: async (o, l) => buf.subarray(o, Math.min(buf.length, o + l)),
    },
  };
}
