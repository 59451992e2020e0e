/**
 * The `.env` file Compose reads beside the compose file for interpolation: `KEY=value` lines,
 * optional `export`, `#` comments, unquoted values (a ` #` starts a comment), single quotes
 * (literal) and double quotes (with \n \t \\ \" escapes, may span lines).
 */
export function parseDotenv(text: string): Map<string, string> {
  const vars = new Map<string, string>();
  const lines = text.split(/\r?\n/);
  for (let i = 0; i < lines.length; i++) {
    const m = /^\s*(?:export\s+)?([A-Za-z_][A-Za-z0-9_.-]*)\s*=\s*(.*)$/.exec(lines[i]!);
    if (!m) continue;
    let value = m[2]!;
    const quote = value[0];
    if (quote === '"' || quote === "'") {
      let body = value.slice(1);
      while (!closes(body, quote) && i + 1 < lines.length) body += `\n${lines[++i]}`;
      const end = closingIndex(body, quote);
      body = end === -1 ? body : body.slice(0, end);
      value = quote === '"' ? unescapeDouble(body) : body;
    } else {
      value = value.replace(/\s+#.*$/, '').trim();
    }
    vars.set(m[1]!, value);
  }
  return vars;
}

function closingIndex(body: string, quote: string): number {
  for (let i = 0; i < body.length; i++) {
    if (quote === '"' && body[i] === '\\') i++;
    else if (body[i] === quote) return i;
  }
  return -1;
}

function closes(body: string, quote: string): boolean {
  return closingIndex(body, quote) !== -1;
}

function unescapeDouble(s: string): string {
  return s.replace(/\\([nt"\\])/g, (_, c: string) => (c === 'n' ? '\n' : c === 't' ? '\t' : c));
}
