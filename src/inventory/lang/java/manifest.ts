/**
 * META-INF/MANIFEST.MF main attributes (JAR File Specification): `Name: value` headers up to
 * the first blank line, a line starting with one space continuing the previous value, UTF-8.
 * Header names are case-insensitive, so keys come back lower-cased; a repeated one keeps its
 * last value, as java.util.jar.Attributes does.
 */
export function parseManifest(bytes: Buffer): Map<string, string> {
  const out = new Map<string, string>();
  let last: string | undefined;
  for (const line of bytes.toString('utf8').split(/\r\n|\r|\n/)) {
    if (line === '') {
      if (out.size > 0) break;
      continue;
    }
    if (line.startsWith(' ')) {
      if (last !== undefined) out.set(last, (out.get(last) ?? '') + line.slice(1));
      continue;
    }
    const colon = line.indexOf(': ');
    if (colon <= 0) {
      last = undefined;
      continue;
    }
    last = line.slice(0, colon).toLowerCase();
    out.set(last, line.slice(colon + 2));
  }
  return out;
}
