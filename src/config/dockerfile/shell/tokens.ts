/** Tokens of POSIX shell text, as the RUN parser and the Dockerfile heredoc finder see them. */

export interface WordToken {
  type: 'word';
  start: number;
  end: number;
  /** Value with quotes removed and escapes applied; expansions (`$X`, `$(...)`) kept as written. */
  value: string;
  /** Source offset of each character of `value` (for mapping nested scripts back to lines). */
  offsets: number[];
  /** Some part was quoted (so it is never a reserved word or an assignment). */
  quoted: boolean;
  /** Contains a parameter expansion or command substitution. */
  expands: boolean;
  /** Bodies of `$(...)`, backquotes and `<(...)` inside the word, as source ranges. */
  substitutions: { start: number; end: number }[];
  /** Preceded by whitespace, a newline or nothing (a new word in Dockerfile terms). */
  spaceBefore: boolean;
}

export type Operator = '&&' | '||' | ';;' | ';' | '|&' | '|' | '&' | '(' | ')' | '\n';

export interface OperatorToken {
  type: 'op';
  op: Operator;
  start: number;
  end: number;
}

export type RedirectOperator =
  | '<<<'
  | '<<-'
  | '<<'
  | '>>'
  | '>&'
  | '<&'
  | '>|'
  | '<>'
  | '&>>'
  | '&>'
  | '>'
  | '<';

export interface HeredocBody {
  /** Text of the body, without the delimiter line. */
  text: string;
  /** Source offset where the body starts. */
  start: number;
}

export interface RedirectToken {
  type: 'redirect';
  op: RedirectOperator;
  /** The file descriptor number written before the operator, if any. */
  fd?: string;
  start: number;
  end: number;
  spaceBefore: boolean;
  /** For `<<` and `<<-`: filled when the body lines were found. */
  heredoc?: HeredocBody;
}

export type Token = WordToken | OperatorToken | RedirectToken;
