import { ConfigParseError } from './check.js';

const utf8 = new TextDecoder('utf-8', { fatal: true });

/** File bytes to text: refuses binary content and invalid UTF-8, drops a UTF-8 byte-order mark. */
export function decodeText(bytes: Uint8Array): string {
  const nul = bytes.indexOf(0);
  if (nul !== -1) throw new ConfigParseError(`binary content (NUL byte at offset ${nul})`);
  try {
    return utf8.decode(bytes);
  } catch {
    throw new ConfigParseError('not valid UTF-8 text');
  }
}

/** Lines without their terminators (\n or \r\n); line N of the file is element N-1. */
export function splitLines(text: string): string[] {
  return text.split(/\r?\n/);
}

const MAX_SNIPPET_LINES = 12;

/** The source lines line..endLine, shortened to a readable excerpt when the range is long. */
export function snippet(lines: readonly string[], line: number, endLine: number): string {
  const last = Math.min(endLine, line + MAX_SNIPPET_LINES - 1, lines.length);
  const excerpt = lines.slice(line - 1, last);
  if (last < endLine) excerpt.push('...');
  return excerpt.join('\n');
}
