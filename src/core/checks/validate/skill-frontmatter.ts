// SKILL.md frontmatter beyond the Agent Skills keys: the keys Claude Code documents for skills
// (docs.claude.com, "Skills": frontmatter reference), which work only if they stay top-level, and
// `allowed-tools` entries that pre-approve an unrestricted shell.

/** Keys Claude Code reads from a skill's frontmatter, besides the Agent Skills ones. */
export const CLAUDE_CODE_KEYS = [
  'argument-hint',
  'disable-model-invocation',
  'user-invocable',
  'model',
  'effort',
  'context',
  'agent',
  'hooks',
  'paths',
  'shell',
  'when_to_use',
  'version'
] as const

/** Tools that are a shell: pre-approving one without a command pattern approves every command. */
const SHELL_TOOLS = /^(?:bash|shell|powershell|terminal|run_terminal_cmd|run_shell_command|exec|execute)$/i

/** The `allowed-tools` entries (a list, or one string separated by spaces or commas outside parentheses). */
export function allowedToolEntries(value: unknown): string[] {
  if (Array.isArray(value)) return value.filter((v): v is string => typeof v === 'string').map((v) => v.trim())
  if (typeof value !== 'string') return []
  const out: string[] = []
  let depth = 0
  let current = ''
  for (const c of value) {
    if (c === '(') depth++
    if (c === ')') depth = Math.max(0, depth - 1)
    if (depth === 0 && (c === ',' || c === ' ' || c === '\t' || c === '\n')) {
      if (current.trim()) out.push(current.trim())
      current = ''
    } else current += c
  }
  if (current.trim()) out.push(current.trim())
  return out
}

/** An entry that approves every shell command: `Bash`, `Bash(*)`, `Bash(:*)`, `Bash(**)`. */
export function isUnrestrictedShell(entry: string): boolean {
  const m = /^([A-Za-z_]+)(?:\((.*)\))?$/.exec(entry.trim())
  if (!m || !SHELL_TOOLS.test(m[1] as string)) return false
  const pattern = m[2]?.trim()
  return pattern === undefined || pattern === '' || /^[:*\s]*$/.test(pattern)
}
