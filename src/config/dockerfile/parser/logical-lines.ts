import { ConfigParseError } from '../../engine/check.js';
import { tokenize } from '../shell/lexer.js';
import { MappedText } from './mapped-text.js';
import { type Escape, splitWords } from './words.js';

/** One instruction as written: keyword, its arguments with continuations joined, and heredoc bodies. */
export interface LogicalInstruction {
  /** Upper case. */
  keyword: string;
  /** Everything after the keyword, each character mapped to its source line. */
  args: MappedText;
  line: number;
  /** Last source line, heredoc delimiters included. */
  endLine: number;
  heredocs: Heredoc[];
}

export interface Heredoc {
  delimiter: string;
  /** The delimiter was quoted: no variable expansion in the body. */
  quoted: boolean;
  /** `<<-`: leading tabs stripped. */
  stripTabs: boolean;
  /** The body, one element per source line (tabs already stripped for `<<-`). */
  lines: { text: string; line: number }[];
  /** Line of the closing delimiter. */
  endLine: number;
}

const HEREDOC_KEYWORDS = new Set(['RUN', 'COPY', 'ADD']);

/**
 * Groups source lines into instructions: skips comments and blank lines, joins lines ending
 * in the escape character (comment and blank lines inside a continuation are dropped, as
 * BuildKit does), and reads heredoc bodies after RUN, COPY and ADD.
 */
export function logicalLines(lines: readonly string[], from: number, esc: Escape): LogicalInstruction[] {
  const continuation = new RegExp(`${esc === '\\' ? '\\\\' : '`'}[ \\t]*$`);
  const out: LogicalInstruction[] = [];
  let i = from;
  while (i < lines.length) {
    const first = lines[i]!;
    if (isBlankOrComment(first)) {
      i++;
      continue;
    }
    const text = new MappedText();
    const line = i + 1;
    let current = first.replace(/^\s+/, '');
    let currentLine = line;
    let endLine = line;
    for (;;) {
      i++;
      endLine = currentLine;
      if (!continuation.test(current)) {
        text.append(current, currentLine);
        break;
      }
      text.append(current.replace(continuation, ''), currentLine);
      while (i < lines.length && isBlankOrComment(lines[i]!)) i++;
      if (i >= lines.length) break;
      current = lines[i]!;
      currentLine = i + 1;
    }
    const m = /^(\S+)\s*/.exec(text.text);
    const keyword = (m?.[1] ?? '').toUpperCase();
    const args = text.slice(m?.[0].length ?? 0);
    const instruction: LogicalInstruction = { keyword, args, line, endLine, heredocs: [] };
    if (HEREDOC_KEYWORDS.has(keyword)) i = readHeredocs(instruction, lines, i, esc);
    out.push(instruction);
  }
  return out;
}

function isBlankOrComment(line: string): boolean {
  const t = line.trimStart();
  return t === '' || t.startsWith('#');
}

/** Reads the bodies of the instruction's heredocs from `lines[i]` on; returns the next line index. */
function readHeredocs(
  instruction: LogicalInstruction,
  lines: readonly string[],
  i: number,
  esc: Escape,
): number {
  const text = afterFlags(instruction.args.text, esc);
  if (text.trimStart().startsWith('[')) return i;
  const markers = tokenize(text).heredocs.filter((h) => h.redirect.spaceBefore && h.delimiter !== '');
  for (const marker of markers) {
    const body: { text: string; line: number }[] = [];
    for (;;) {
      if (i >= lines.length) {
        throw new ConfigParseError(`unterminated heredoc <<${marker.delimiter}`, instruction.line);
      }
      const raw = lines[i]!.replace(/\r$/, '');
      const textLine = marker.stripTabs ? raw.replace(/^\t+/, '') : raw;
      i++;
      if (textLine === marker.delimiter) {
        instruction.heredocs.push({
          delimiter: marker.delimiter,
          quoted: marker.quoted,
          stripTabs: marker.stripTabs,
          lines: body,
          endLine: i,
        });
        instruction.endLine = i;
        break;
      }
      body.push({ text: textLine, line: i });
    }
  }
  return i;
}

/** The argument text after leading `--flag` words. */
function afterFlags(text: string, esc: Escape): string {
  const words = splitWords(text, esc);
  let k = 0;
  while (k < words.length && words[k]!.text.startsWith('--')) k++;
  return k === 0 ? text : k < words.length ? text.slice(words[k]!.start) : '';
}
