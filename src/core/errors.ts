// Errors that are the user's to fix (a bad input, a broken config file, a commit missing from a
// shallow clone), as opposed to findings about packages or internal failures. Adapters report
// them plainly, without a stack trace: exit 2 in the CLI, "Configuration error" in an action.

export class ConfigError extends Error {
  constructor(message: string) {
    super(message)
    this.name = 'ConfigError'
  }
}
