/**
 * Maps UTF-16 offsets to 1-based line and column. Lookups come mostly in increasing order, so it
 * scans forward from the previous answer instead of indexing every line of the file up front.
 */
export class LineIndex {
  private offset = 0
  private line = 1
  private lineStart = 0

  constructor(private source: string) {}

  position(offset: number): { line: number; column: number } {
    if (offset < this.offset) {
      this.offset = 0
      this.line = 1
      this.lineStart = 0
    }
    const s = this.source
    for (let i = s.indexOf('\n', this.offset); i !== -1 && i < offset; i = s.indexOf('\n', i + 1)) {
      this.line++
      this.lineStart = i + 1
    }
    this.offset = offset
    return { line: this.line, column: offset - this.lineStart + 1 }
  }
}
