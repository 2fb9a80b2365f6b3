/**
 * The string as one of its own. A piece cut out of a longer text (a command's output, a file a
 * parser read, a concatenation's parts) keeps that whole text alive for as long as the piece
 * lives: a value held to the end of a long run (a registry entry's commit or description, a
 * writer's folder key) should not hold the output or the path it came from. V8 copies pieces
 * shorter than 13 characters anyway.
 */
export function ownString(s: string): string {
  return s.length < 13 ? s : (JSON.parse(JSON.stringify(s)) as string)
}
