// Rules of the validate check: layout, manifest, profile, entrypoint and the files clients parse.
import type { Rule } from './rule.js'

export const VALIDATE_RULES = {
  'layout/publisher-name': {
    severity: 'error',
    summary: 'A publisher directory under `publishers/` is named like a GitHub login.',
    why: 'Namespaces are GitHub logins: ownership checks and install names (`@login/package`) depend on it.',
    example: '`publishers/Alice_Smith/` (underscores are not allowed in logins)',
    fix: 'Rename the directory to your GitHub login.'
  },
  'layout/package-name': {
    severity: 'error',
    summary: 'A package directory is named by the package-name rule (lowercase letters, digits, single hyphens).',
    why: 'The directory name is the package name clients install; Agent Skills clients reject other names.',
    example: '`publishers/alice/Web_Deploy/`',
    fix: 'Rename the directory, for instance to `web-deploy`, and set the same `name` in manifest.yaml.'
  },
  'layout/stray-file': {
    severity: 'error',
    summary: 'Only `profile.json` and package directories sit directly in a publisher directory.',
    why: 'A file beside the packages belongs to no package, so no check or index covers it.',
    example: '`publishers/alice/notes.txt`',
    fix: 'Move the file into a package directory or remove it.'
  },
  'manifest/missing': {
    severity: 'error',
    summary: 'Every package directory has a `manifest.yaml`.',
    why: 'The manifest says what the package is; without it the package cannot be indexed or installed.',
    example: '`publishers/alice/web-deploy/` without manifest.yaml (or with `manifest.yml`)',
    fix: 'Add `manifest.yaml` with name, type, version, description and entrypoint.'
  },
  'manifest/schema': {
    severity: 'error',
    summary: 'manifest.yaml matches the manifest schema (docs/formats/manifest.md).',
    why: 'Clients and the registry build read these fields; a wrong type or value breaks installs or search.',
    example: '`version: 1.0` (a number, not a semantic version string)',
    fix: 'Correct the field as the message says; every schema error is listed at once.'
  },
  'manifest/name-mismatch': {
    severity: 'error',
    summary: 'The manifest `name` equals the package directory name.',
    why: 'Install names come from the directory; a different `name` would install under a name nobody reviewed.',
    example: '`name: deploy` in `publishers/alice/web-deploy/manifest.yaml`',
    fix: 'Make `name` and the directory name the same.'
  },
  'profile/missing': {
    severity: 'error',
    summary: 'Every publisher directory has a `profile.json`.',
    why: 'The profile names the publisher and the maintainers who may change the namespace.',
    example: '`publishers/alice/` without profile.json',
    fix: 'Add `publishers/<login>/profile.json` with at least `{"name": "Your Name"}`.'
  },
  'profile/schema': {
    severity: 'error',
    summary: 'profile.json matches the profile schema (docs/formats/profile.md).',
    why: 'Ownership and attribution are read from it.',
    example: '`{"name": ""}`',
    fix: 'Correct the field as the message says.'
  },
  'profile/login-mismatch': {
    severity: 'error',
    summary: 'A `login` in profile.json equals the publisher directory name, ignoring case.',
    why: 'A profile must not claim another account.',
    example: '`"login": "bob"` in `publishers/alice/profile.json`',
    fix: 'Set `login` to the directory name or remove it.'
  },
  'entrypoint/missing': {
    severity: 'error',
    summary: 'The manifest `entrypoint` names a file that exists in the package.',
    why: 'Clients load the entrypoint first; a missing one makes the package uninstallable.',
    example: '`entrypoint: tool.ts` when the package has no tool.ts',
    fix: 'Add the file or point `entrypoint` at the right one (paths are case-sensitive).'
  },
  'entrypoint/outside-package': {
    severity: 'error',
    summary: 'The entrypoint path stays inside the package directory.',
    why: "A path that leaves the package would load another package's or the marketplace's files.",
    example: '`entrypoint: ../other/tool.ts`',
    fix: 'Use a path relative to the package directory, without `..`.'
  },
  'entrypoint/not-a-file': {
    severity: 'error',
    summary: 'The entrypoint is a regular file, not a directory, symlink or submodule.',
    why: 'Links and submodules point outside what was reviewed.',
    example: '`entrypoint: SKILL.md` where SKILL.md is a symlink',
    fix: 'Commit the real file in place of the link.'
  },
  'entrypoint/type-mismatch': {
    severity: 'error',
    summary: 'The entrypoint fits the package `type`: SKILL.md or a .ts/.js tool for a skill, server.json for an MCP server.',
    why: 'Clients pick a loader by type; a mismatch installs something they cannot load.',
    example: '`type: skill` with `entrypoint: server.json`',
    fix: 'Change `type` or `entrypoint` so they agree.'
  },
  'skill/skill-md-missing': {
    severity: 'error',
    summary: 'A skill package has a SKILL.md at its root.',
    why: 'Agent Skills clients (`npx skills`, Claude Code) find a skill by its SKILL.md.',
    example: 'a `type: skill` package with only manifest.yaml and tool.ts',
    fix: 'Add SKILL.md with `name` and `description` frontmatter and instructions for the agent.'
  },
  'skill/skill-md-case': {
    severity: 'warning',
    summary: 'The skill file is named exactly `SKILL.md`.',
    why: 'Agent Skills clients look for `SKILL.md`; other spellings are not found on case-sensitive systems.',
    example: '`skill.md`',
    fix: 'Rename the file to `SKILL.md` (and the entrypoint with it).'
  },
  'skill-md/frontmatter': {
    severity: 'error',
    summary: 'SKILL.md starts with a YAML frontmatter block between `---` lines.',
    why: "Clients read the skill's name and description from the frontmatter.",
    example: 'a SKILL.md that starts with `# My skill`',
    fix: 'Start the file with `---`, `name: <dir>`, `description: ...`, `---`.'
  },
  'skill-md/schema': {
    severity: 'error',
    summary: 'SKILL.md frontmatter follows the Agent Skills specification.',
    why: 'Clients reject long descriptions, invalid names and values of the wrong type; a key with a wrong value does not work.',
    example: '`allowed-tools: [Bash, Read]` (must be one space-separated string)',
    fix: 'Correct the frontmatter as the message says.'
  },
  'skill-md/unknown-key': {
    severity: 'warning',
    summary:
      'SKILL.md frontmatter uses only the Agent Skills keys and the keys Claude Code documents for skills (`argument-hint`, `disable-model-invocation`, `user-invocable`, `model`, `effort`, `context`, `agent`, `hooks`, `paths`, `shell`).',
    why: 'Other keys are ignored by clients or read differently by each; the strict Agent Skills validator rejects them. An open marketplace warns; a strict one sets `skill-md/unknown-key: error`.',
    example: '`category: deploy` in the frontmatter',
    fix: 'Remove the key, or move free-form data under `metadata:` as a string value.'
  },
  'skill-md/unrestricted-shell': {
    severity: 'error',
    summary: '`allowed-tools` does not pre-approve an unrestricted shell (bare `Bash`, `Bash(*)`, `Bash(:*)`, `Shell`).',
    why: "A pre-approved tool runs without a permission prompt: an unrestricted shell lets the skill run any command on the user's machine unasked.",
    example: '`allowed-tools: Read, Grep, Bash`',
    fix: 'List the commands the skill needs: `Bash(git status:*)`, `Bash(npm test:*)`.'
  },
  'skill-md/broken-link': {
    severity: 'error',
    summary: 'Relative links in SKILL.md point at files the package has.',
    why: 'The agent follows the link to read more instructions; a missing file makes the skill fail, or lets a later change add unreviewed text under that name.',
    example: '`[API reference](references/api.md)` when the package has no references/api.md',
    fix: 'Add the file, fix the path (names are case-sensitive), or remove the link.'
  },
  'skill-md/name-mismatch': {
    severity: 'error',
    summary: "The SKILL.md `name` equals the skill's directory name.",
    why: 'The Agent Skills specification requires it; clients install the skill under that name.',
    example: '`name: deploy` in `web-deploy/SKILL.md`',
    fix: 'Set `name` to the directory name.'
  },
  'skill-md/body-length': {
    severity: 'warning',
    summary: 'The SKILL.md body stays under 500 lines, as the Agent Skills specification recommends.',
    why: "The whole body enters the agent's context when the skill is used.",
    example: 'a 2,000-line SKILL.md',
    fix: 'Move reference material to separate files that SKILL.md links to.'
  },
  'server-json/schema': {
    severity: 'error',
    summary: 'server.json meets the MCP server.json rules (schema 2025-12-11).',
    why: 'MCP clients and the MCP registry reject a server.json that does not.',
    example: '`"name": "weather"` (the name needs a namespace, as in `io.github.alice/weather`)',
    fix: 'Correct the field as the message says; every problem is listed at once.'
  },
  'server-json/version-range': {
    severity: 'error',
    summary: 'server.json `version` is one exact version, not `latest` or a range.',
    why: 'Published metadata is immutable per version; a range names no version.',
    example: '`"version": ">=1.0"`',
    fix: "Use an exact version, ideally the manifest's."
  },
  'server-json/version-mismatch': {
    severity: 'warning',
    summary: 'server.json `version` equals the manifest `version`.',
    why: 'Two versions for one package confuse users and update checks.',
    example: 'manifest 1.2.0, server.json 1.1.0',
    fix: 'Bump both together.'
  },
  'server-json/unknown-field': {
    severity: 'warning',
    summary: 'server.json uses only the fields the MCP server.json format defines (free-form data goes in `_meta`).',
    why: 'The MCP schema lets unknown fields through and clients ignore them, so a misspelt field silently has no effect.',
    example: '`"websiteURL": "https://example.com"` (the field is `websiteUrl`)',
    fix: 'Correct the field name, or move your own data into `_meta` under a reverse-DNS key.'
  },
  'server-json/unfilled-template': {
    severity: 'error',
    summary: 'server.json has no unfilled release templates (`${VERSION}`, `{{version}}`, `__VERSION__`) in versions, identifiers or URLs.',
    why: 'Clients take the value literally: they install a version that does not exist or whatever the registry resolves it to, not what was reviewed.',
    example: '`"version": "${VERSION}"`',
    fix: 'Write the real value; fill templates in your release workflow before opening the pull request.'
  },
  'server-json/name-not-owned': {
    severity: 'error',
    summary: "A server.json `name` in the `io.github.<login>/` namespace names the publisher's own GitHub login (compared ignoring case).",
    why: "The MCP registry proves `io.github.<login>` names by GitHub login; a server published under another login's name impersonates it.",
    example: '`"name": "io.github.octo-org/weather"` in a package of publisher alice',
    fix: 'Use `io.github.<your login>/<server>` or a domain you own (`com.example/<server>`).'
  },
  'source/syntax': {
    severity: 'error',
    summary: 'A .ts/.js entrypoint parses as TypeScript/JavaScript (it is parsed, never run).',
    why: 'A tool that does not parse fails when a client loads it.',
    example: '`export function run( {`',
    fix: 'Fix the syntax error at the position given.'
  },
  'yaml/syntax': {
    severity: 'error',
    summary: 'A YAML file (manifest, frontmatter, config) parses as one YAML document.',
    why: 'Nothing else can be checked until it parses.',
    example: '`tags: [deploy, web` (unclosed list)',
    fix: 'Fix the syntax at the position given; a YAML linter in your editor helps.'
  },
  'yaml/duplicate-key': {
    severity: 'error',
    summary: 'A YAML mapping has no key twice.',
    why: 'Parsers disagree on which value wins; a reviewer could see one and a client use the other.',
    example: '`version: 1.0.0` twice',
    fix: 'Keep one of the two keys.'
  },
  'yaml/alias-limit': {
    severity: 'error',
    summary: 'YAML anchors and aliases stay under the configured cap.',
    why: 'Nested aliases expand exponentially (a "billion laughs" bomb); manifests never need many.',
    example: '`a: &a [x, x]`, `b: &b [*a, *a]`, ... nested ten deep',
    fix: 'Write the values out instead of using anchors (`&`) and aliases (`*`).'
  },
  'yaml/custom-tag': {
    severity: 'error',
    summary: 'YAML has no custom tags (`!foo`, `!!python/object`).',
    why: 'Tags ask a parser to build objects; the marketplace reads plain data only.',
    example: '`version: !semver 1.0.0`',
    fix: 'Remove the tag and write the plain value.'
  },
  'json/syntax': {
    severity: 'error',
    summary: 'A JSON file parses as strict JSON (no comments, no trailing commas).',
    why: 'Clients use strict JSON parsers.',
    example: '`{"name": "x",}`',
    fix: 'Fix the syntax at the position given.'
  },
  'json/duplicate-key': {
    severity: 'error',
    summary: 'A JSON object has no key twice.',
    why: 'Parsers disagree on which value wins.',
    example: '`{"name": "a", "name": "b"}`',
    fix: 'Keep one of the two keys.'
  },
  'file/encoding': {
    severity: 'error',
    summary: 'Text files the toolkit parses are UTF-8 without NUL bytes.',
    why: 'Another encoding reads differently in different tools.',
    example: 'a manifest saved as UTF-16',
    fix: 'Save the file as UTF-8.'
  },
  'file/too-large-to-parse': {
    severity: 'error',
    summary: 'Files the toolkit parses (manifest, profile, server.json, SKILL.md, entrypoint) stay under the parse cap.',
    why: 'A cap keeps a review fast and its memory bounded.',
    example: 'a 5 MB manifest.yaml',
    fix: 'Make the file smaller; a manifest is a few lines.'
  }
} as const satisfies Record<string, Rule>
