/** Text assembled from pieces of physical lines, able to say which source line any offset came from. */
export class MappedText {
  text = '';
  private readonly starts: number[] = [];
  private readonly lines: number[] = [];

  /** Appends `piece`, all of which comes from source line `line`. */
  append(piece: string, line: number): this {
    if (piece.length === 0) return this;
    this.starts.push(this.text.length);
    this.lines.push(line);
    this.text += piece;
    return this;
  }

  /** Source line of the character at `offset` (the last line for offsets past the end). */
  lineAt(offset: number): number {
    let lo = 0;
    let hi = this.starts.length - 1;
    if (hi < 0) return 1;
    while (lo < hi) {
      const mid = (lo + hi + 1) >> 1;
      if (this.starts[mid]! <= offset) lo = mid;
      else hi = mid - 1;
    }
    return this.lines[lo]!;
  }

  /** The text from `offset` on, keeping the line mapping. */
  slice(offset: number): MappedText {
    const out = new MappedText();
    for (let i = 0; i < this.starts.length; i++) {
      const start = this.starts[i]!;
      const end = this.starts[i + 1] ?? this.text.length;
      if (end <= offset) continue;
      out.append(this.text.slice(Math.max(start, offset), end), this.lines[i]!);
    }
    return out;
  }
}
