// The toolkit's version, read from package.json at build time so every bundle carries it.
import pkg from '../package.json' with { type: 'json' }

export const TOOL_VERSION: string = pkg.version
