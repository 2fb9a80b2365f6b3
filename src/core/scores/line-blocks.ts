// Many lines joined into one text, a block at a time. A run's reports and caches have a line per
// package (ten thousand); held in one list until a single join, the lines and the pieces each is
// made of live through several young-generation collections, each copying them. Joined every
// BLOCK lines, a block's pieces die young and only the joined blocks live on (Scores in
// docs/benchmarks.md, eleventh pass). The text is the same as the plain join's.

const BLOCK = 500

export class LineBlocks {
  private readonly blocks: string[] = []
  private block: string[] = []

  add(line: string): void {
    this.block.push(line)
    if (this.block.length === BLOCK) this.flush()
  }

  /** The lines added so far, joined by newlines (as `lines.join('\n')`). */
  text(): string {
    this.flush()
    return this.blocks.join('\n')
  }

  private flush(): void {
    if (!this.block.length) return
    this.blocks.push(this.block.join('\n'))
    this.block = []
  }
}
