/** Something wrong (or worth knowing) in a rules file, with where it is. */
export interface Problem {
  /** `error`: the item does not load or compile; `warning`: it loads, perhaps degraded. */
  severity: 'error' | 'warning';
  file: string;
  line: number;
  message: string;
  item?: { kind: 'rule' | 'macro' | 'list'; name: string };
}

/** A piece of rule text (condition, output) and how to find a line in its file from an offset in it. */
export interface SourceText {
  text: string;
  file: string;
  lineAt(offset: number): number;
}

/** Text assembled from pieces (a condition and what `append` added), still able to point at lines. */
export class ComposedText {
  private constructor(
    readonly text: string,
    private readonly pieces: readonly { start: number; source: SourceText }[],
  ) {}

  static of(source: SourceText): ComposedText {
    return new ComposedText(source.text, [{ start: 0, source }]);
  }

  /** Falco appends with a single space between the parts. */
  append(source: SourceText): ComposedText {
    const start = this.text.length + 1;
    return new ComposedText(`${this.text} ${source.text}`, [...this.pieces, { start, source }]);
  }

  locate(offset: number): { file: string; line: number } {
    let piece = this.pieces[0]!;
    for (const p of this.pieces) if (p.start <= offset) piece = p;
    return { file: piece.source.file, line: piece.source.lineAt(Math.max(0, offset - piece.start)) };
  }
}
