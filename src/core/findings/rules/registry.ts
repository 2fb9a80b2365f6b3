// Rules of the registry build (build-registry action, `marketplace-actions build`). They report
// what the build did with a package on the default branch; none of them stops the other packages
// from publishing, except the removal guard, which stops the whole build.
import type { Rule } from './rule.js'

export const REGISTRY_RULES = {
  'registry/manifest-invalid': {
    severity: 'error',
    summary: 'A package on the default branch has a valid manifest.yaml, so the registry can publish it.',
    why: 'The registry lists what the manifest says; a broken manifest cannot be published. The package keeps its last good version in the indexes (or stays out if it never had one), and every other package still publishes.',
    example: '`version: 1.0` merged into `publishers/alice/web-deploy/manifest.yaml`',
    fix: 'Fix the manifest in a new pull request (the manifest findings above say where); the next build publishes it.'
  },
  'registry/publisher-invalid': {
    severity: 'error',
    summary: 'A publisher directory on the default branch is named like a GitHub login, so its packages can be published.',
    why: 'Install names are `@<login>/<package>`; a namespace that is not a login cannot be listed.',
    example: '`publishers/Alice_Smith/web-deploy/`',
    fix: 'Rename the publisher directory to the GitHub login of its owner.'
  },
  'registry/package-unreadable': {
    severity: 'error',
    summary: 'Every file of a package on the default branch can be read within the package size limit.',
    why: 'The build digests and archives every file of a package; a file above the limit cannot be published, so the package keeps its last good version.',
    example: 'a 2 MB file merged into a package while `limits.package_bytes` is 500 KiB',
    fix: 'Remove or shrink the file in a new pull request, or raise the limit in marketplace.config.yaml if it is intended.'
  },
  'registry/version-reused': {
    severity: 'error',
    summary: 'Files of a published version never change: different files need a new version.',
    why: 'Clients pin and verify a version by its digest; republishing a version with other files would break every pinned install and hide the change from update checks.',
    example: 'SKILL.md edited on the default branch while manifest.yaml still says `version: "1.0.0"`, already published',
    fix: 'Bump `version` in manifest.yaml in a new pull request; until then the registry keeps serving the files of the published version.'
  },
  'registry/too-many-removed': {
    severity: 'error',
    summary: 'A build does not remove more than the configured share of the published packages at once.',
    why: 'A mass removal is far more often a broken merge (a moved or deleted `publishers/` tree) than an intent, and it would break installs for everyone at once.',
    example: '12 of 40 packages gone in one build while `registry.max_removed_share` is 0.25',
    fix: 'Check that the removals are intended, then run the build with `force: true` (action) or `--force` (command line), or raise `registry.max_removed_share`.'
  },
  'registry/review-invalid': {
    severity: 'warning',
    summary: "A package's review.json is a review record about that package (review schema).",
    why: 'The registry shows the latest review result from the record; a record it cannot read is left out rather than shown wrong.',
    example: 'a review.json that is not valid JSON, or that reviews another package',
    fix: 'Let the marketplace rewrite the record (rerun the review after merge); publishers never edit review.json.'
  },
  'registry/review-stale': {
    severity: 'warning',
    summary: "A package's review record is about the files the registry publishes.",
    why: 'A review of other files (an earlier version, or changes made after the review) says nothing about what clients install.',
    example: 'review.json records digest sha256:1a2b… while the published files digest to sha256:9f86…',
    fix: 'Rerun the review on the published commit so the record describes the published files.'
  },
  'registry/skill-not-indexed': {
    severity: 'warning',
    summary: 'A skill package can be served by the Agent Skills discovery index.',
    why: 'Clients such as `npx skills` install a skill from its SKILL.md (with `name` and `description` frontmatter) or an archive every client can unpack; without one the skill is in registry.json but not installable from the index.',
    example: 'a `type: skill` package without SKILL.md at its root, or with a file path longer than a tar header holds',
    fix: 'Add SKILL.md with `name` and `description` frontmatter at the package root, and keep file paths short and ASCII.'
  },
  'registry/mcp-server-not-listed': {
    severity: 'warning',
    summary: 'An MCP server package names an npm or PyPI package run over stdio, or a remote URL, that a client can configure.',
    why: '`.claude-plugin/marketplace.json` lists a server as the command or URL a client starts; a server.json with neither cannot be listed there (it stays in registry.json).',
    example: 'a server.json whose only package is an OCI image',
    fix: 'Add an npm or PyPI package with `transport: {type: stdio}`, or a `remotes` entry with a fixed https URL, to server.json.'
  },
  'registry/install-name-qualified': {
    severity: 'notice',
    summary: "A package's marketplace-wide install name is its own name unless another publisher published that name first.",
    why: 'The root skills index and `.claude-plugin/marketplace.json` need unique names; the first publisher keeps the plain name, later ones are installed as `<login>-<name>`.',
    example: '`bob/code-review` listed as `bob-code-review` because `alice/code-review` was published first',
    fix: 'Nothing to fix; the per-publisher index (`<site>/publishers/<login>`) always uses the plain name. Rename the package if the qualified name is unwanted.'
  }
} as const satisfies Record<string, Rule>
