import { ConfigParseError } from './check.js';
import { parseYaml, type YamlLocations } from './yaml.js';

/** Deeper documents are refused (the YAML reader converts recursively). */
const MAX_NESTING = 512;

interface ParsedJson {
  value: unknown;
  /** Line ranges of values and entries, as for YAML files. */
  locations: YamlLocations;
}

/**
 * A JSON document with line numbers for every value. JSON.parse decides what is valid (strict
 * RFC 8259, with the position of the first error); the document is then read again through
 * the YAML reader (JSON is YAML 1.2), which gives the same values plus where each one is.
 */
export function parseJsonWithLines(text: string): ParsedJson {
  try {
    JSON.parse(text);
  } catch (err) {
    const message = err instanceof Error ? err.message : String(err);
    throw new ConfigParseError(`invalid JSON: ${shortMessage(message)}`, lineOfError(text, message));
  }
  const depth = nestingDepth(text);
  if (depth.max > MAX_NESTING)
    throw new ConfigParseError(`invalid JSON: nested deeper than ${MAX_NESTING} levels`, depth.line);
  try {
    const parsed = parseYaml(text);
    return { value: parsed.documents[0]?.value ?? null, locations: parsed.locations };
  } catch (err) {
    if (err instanceof ConfigParseError)
      throw new ConfigParseError(err.message.replace(/^invalid YAML/, 'invalid JSON'), err.line);
    throw err;
  }
}

function shortMessage(message: string): string {
  return message.replace(/ in JSON at position \d+.*$/s, '').replace(/, ".*" is not valid JSON$/s, '');
}

function lineOfError(text: string, message: string): number {
  const m = / at position (\d+)/.exec(message);
  const end = m ? Math.min(Number(m[1]), text.length) : text.length;
  let line = 1;
  for (let i = 0; i < end; i++) if (text.charCodeAt(i) === 10) line++;
  return line;
}

/** The deepest nesting of arrays and objects, and the line where it first goes past the limit. */
function nestingDepth(text: string): { max: number; line: number } {
  let depth = 0;
  let max = 0;
  let line = 1;
  let overLine = 1;
  let inString = false;
  for (let i = 0; i < text.length; i++) {
    const c = text.charCodeAt(i);
    if (c === 10) line++;
    if (inString) {
      if (c === 92) i++;
      else if (c === 34) inString = false;
    } else if (c === 34) inString = true;
    else if (c === 91 || c === 123) {
      if (++depth > max) {
        max = depth;
        if (max === MAX_NESTING + 1) overLine = line;
      }
    } else if (c === 93 || c === 125) depth--;
  }
  return { max, line: overLine };
}
