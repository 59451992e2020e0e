/**
 * deb822 control data, as dpkg writes its status database: paragraphs separated by blank
 * lines, "Field: value" lines, continuation lines starting with a space or tab.
 */

export interface Paragraph {
  /** Field names lower-cased (deb822 field names are case-insensitive). */
  fields: Map<string, string>;
  /** 1-based line where the paragraph starts, for warnings. */
  line: number;
}

export interface ControlParse {
  paragraphs: Paragraph[];
  /** Lines that are neither a field nor a continuation, with their line numbers. */
  warnings: string[];
}

const FIELD = /^([^\s:][^:]*):(.*)$/;
const MAX_WARNINGS = 20;

export function parseControl(text: string): ControlParse {
  const paragraphs: Paragraph[] = [];
  const warnings: string[] = [];
  let badLines = 0;
  let current: Paragraph | undefined;
  let lastField: string | undefined;
  const lines = text.split('\n');
  for (let i = 0; i < lines.length; i++) {
    const line = lines[i]!.replace(/\r$/, '');
    if (line.trim() === '') {
      current = undefined;
      lastField = undefined;
      continue;
    }
    if (line[0] === ' ' || line[0] === '\t') {
      if (current && lastField !== undefined) {
        current.fields.set(lastField, `${current.fields.get(lastField)}\n${line.trim()}`);
        continue;
      }
    } else {
      const m = FIELD.exec(line);
      if (m) {
        if (!current) {
          current = { fields: new Map(), line: i + 1 };
          paragraphs.push(current);
        }
        lastField = m[1]!.trim().toLowerCase();
        current.fields.set(lastField, m[2]!.trim());
        continue;
      }
    }
    if (++badLines <= MAX_WARNINGS) warnings.push(`line ${i + 1}: not a "Field: value" line; ignored`);
  }
  if (badLines > MAX_WARNINGS) warnings.push(`${badLines - MAX_WARNINGS} more malformed lines ignored`);
  return { paragraphs, warnings };
}
