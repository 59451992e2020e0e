/**
 * deb822 control data, as dpkg writes its status database: paragraphs separated by blank
 * lines, "Field: value" lines, continuation lines starting with a space or tab.
 */

interface Paragraph {
  /** Field names lower-cased (deb822 field names are case-insensitive). */
  fields: Map<string, string>;
  /** 1-based line where the paragraph starts, for warnings. */
  line: number;
}

interface ControlParse {
  paragraphs: Paragraph[];
  /** Lines that are neither a field nor a continuation, with their line numbers. */
  warnings: string[];
}

const SPACE = 0x20;
const TAB = 0x09;
const CR = 0x0d;
const MAX_WARNINGS = 20;

export function parseControl(text: string): ControlParse {
  const paragraphs: Paragraph[] = [];
  const warnings: string[] = [];
  let badLines = 0;
  let current: Paragraph | undefined;
  let lastField: string | undefined;
  let lineNo = 0;
  for (let start = 0; start <= text.length; ) {
    let end = text.indexOf('\n', start);
    if (end < 0) end = text.length;
    lineNo++;
    const line =
      text.charCodeAt(end - 1) === CR && end > start ? text.slice(start, end - 1) : text.slice(start, end);
    start = end + 1;
    const first = line.charCodeAt(0);
    if (first === SPACE || first === TAB) {
      const rest = line.trim();
      if (rest === '') {
        current = undefined;
        lastField = undefined;
        continue;
      }
      if (current && lastField !== undefined) {
        current.fields.set(lastField, `${current.fields.get(lastField)}\n${rest}`);
        continue;
      }
    } else if (line === '') {
      current = undefined;
      lastField = undefined;
      continue;
    } else {
      const colon = line.indexOf(':');
      if (colon > 0) {
        if (!current) {
          current = { fields: new Map(), line: lineNo };
          paragraphs.push(current);
        }
        lastField = line.slice(0, colon).trim().toLowerCase();
        current.fields.set(lastField, line.slice(colon + 1).trim());
        continue;
      }
    }
    if (++badLines <= MAX_WARNINGS) warnings.push(`line ${lineNo}: not a "Field: value" line; ignored`);
  }
  if (badLines > MAX_WARNINGS) warnings.push(`${badLines - MAX_WARNINGS} more malformed lines ignored`);
  return { paragraphs, warnings };
}
