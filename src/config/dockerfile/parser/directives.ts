import { ConfigParseError } from '../../engine/check.js';

export interface Directive {
  /** Lower case: 'syntax', 'escape', 'check'. */
  name: string;
  value: string;
  line: number;
}

interface Directives {
  directives: Directive[];
  escape: '\\' | '`';
}

const DIRECTIVE = /^#[ \t]*([a-zA-Z][a-zA-Z0-9]*)[ \t]*=[ \t]*(.+?)[ \t]*$/;
const KNOWN = new Set(['syntax', 'escape', 'check']);

/**
 * Parser directives: `# name=value` lines at the very top of the file. The first line that is
 * not one (an instruction, a blank line, an ordinary comment, an unknown directive) ends them.
 */
export function parseDirectives(lines: readonly string[]): Directives {
  const directives: Directive[] = [];
  let esc: '\\' | '`' = '\\';
  for (let i = 0; i < lines.length; i++) {
    const m = DIRECTIVE.exec(lines[i]!);
    if (!m) break;
    const name = m[1]!.toLowerCase();
    if (!KNOWN.has(name)) break;
    const line = i + 1;
    if (directives.some((d) => d.name === name)) {
      throw new ConfigParseError(`only one "${name}" parser directive can be used`, line);
    }
    const value = m[2]!;
    if (name === 'escape') {
      if (value !== '\\' && value !== '`')
        throw new ConfigParseError(`invalid escape token "${value}"`, line);
      esc = value;
    }
    directives.push({ name, value, line });
  }
  return { directives, escape: esc };
}
