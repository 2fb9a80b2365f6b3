// Which files are .ts/.js tools, apart from the parser that checks them (syntax.ts): most packages
// have none, and a run loads @babel/parser only when one is checked.

/** Extensions checked by `checkSource`, lowercase. */
export const SOURCE_EXTENSIONS = ['.ts', '.mts', '.cts', '.tsx', '.js', '.mjs', '.cjs', '.jsx'] as const

export type Extension = (typeof SOURCE_EXTENSIONS)[number]

export function isSourceFile(path: string): boolean {
  return extensionOf(path) !== undefined
}

export function extensionOf(path: string): Extension | undefined {
  // Only the last extension counts: `tool.mts` is `.mts`, and `types.d.ts` is a `.ts` file.
  const ext = /\.[^./]+$/.exec(path.toLowerCase())?.[0]
  return SOURCE_EXTENSIONS.find((e) => e === ext)
}
