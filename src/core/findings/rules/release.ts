// Rules of the version-bump and namespace checks: when a change is a release, and who may make it.
import type { Rule } from './rule.js'

export const RELEASE_RULES = {
  'version/not-bumped': {
    severity: 'error',
    summary: 'A package whose files changed does not keep the version it has on the base commit.',
    why: 'Installed copies update only when the version goes up; a change under the same version never reaches them, and two different sets of files would share one version.',
    example: '`SKILL.md` edited while manifest.yaml still says `version: "1.0.0"` (as on the base branch)',
    fix: 'Raise `version` in manifest.yaml: the next patch for fixes, minor for new features, major for breaking changes.'
  },
  'version/downgrade': {
    severity: 'error',
    summary: "A changed package's version is not lower than on the base commit.",
    why: 'Clients pick the highest version; a lower one is never installed over the current one, and it may collide with a version published before.',
    example: '`version: "1.1.0"` when the base branch has `1.2.0` (or `1.0.0-rc.1` after `1.0.0`)',
    fix: "Set a version above the base branch's, as the message suggests."
  },
  'version/republished': {
    severity: 'error',
    summary: 'A version the registry already records is not published again with different files.',
    why: 'Published versions are immutable: users who installed it, and clients verifying its digest, must get the same files under the same version.',
    example: '`version: "1.1.0"` with new files when registry.json records 1.1.0 with another digest',
    fix: 'Publish the new files under a version the registry has not recorded, above the highest published one.'
  },
  'version/renamed': {
    severity: 'notice',
    summary: 'A renamed or moved package is reported as a new package that replaces a removed one.',
    why: 'Install names come from the directory: installs of the old name do not update to the new one, and the new name starts a new version history.',
    example: '`publishers/alice/deploy/` renamed to `publishers/alice/web-deploy/`',
    fix: "Nothing to fix if the rename is intended; tell the old name's users to install the new one. Otherwise restore the old directory."
  },
  'namespace/not-owner': {
    severity: 'error',
    summary:
      "A pull request changes only namespaces its author owns: `publishers/<login>/` for the author's login, or one whose base profile.json lists the author in `maintainers`.",
    why: "Every namespace belongs to one publisher; anyone else's change would ship under their name to their users.",
    example: "mallory's pull request edits `publishers/alice/web-deploy/SKILL.md`",
    fix: "Remove the change from the pull request, or ask the namespace's owner to add you to `maintainers` in their profile.json first."
  },
  'namespace/new-publisher': {
    severity: 'error',
    summary: "A new publisher directory is named after the pull request's author (ignoring case).",
    why: "A namespace is a GitHub login; creating one for another login would claim that account's name.",
    example: "mallory's pull request adds `publishers/bob/` when there is no such directory yet",
    fix: 'Put your packages under `publishers/<your login>/`.'
  },
  'namespace/case-conflict': {
    severity: 'error',
    summary: 'A new publisher directory does not differ only in case from an existing one.',
    why: 'GitHub logins ignore case: two directories would be two namespaces for one account, and they collide on case-insensitive file systems.',
    example: '`publishers/Alice/` added when `publishers/alice/` exists',
    fix: 'Use the existing directory, spelled exactly as it is.'
  },
  'namespace/generated-file': {
    severity: 'error',
    summary:
      "A pull request does not edit the files the marketplace generates after a merge: registry.json, .claude-plugin/marketplace.json, .well-known/ and a package's review.json.",
    why: 'They are rebuilt from the packages after every merge; an edit would be overwritten, or would publish something no review checked.',
    example: '`registry.json` or `publishers/alice/web-deploy/review.json` changed in a pull request',
    fix: 'Drop the change; the marketplace rewrites the file after the merge.'
  },
  'namespace/maintainers-only': {
    severity: 'error',
    summary: 'Files outside `publishers/` (workflows, the marketplace config, READMEs) are changed only by marketplace maintainers.',
    why: "They decide how every package is reviewed and published; a publisher's pull request must not change the rules it is judged by.",
    example: "a publisher's pull request edits `.github/workflows/review.yml` or `marketplace.config.yaml`",
    fix: 'Drop the change from your pull request; if the marketplace needs it, open an issue for its maintainers.'
  },
  'namespace/removed': {
    severity: 'notice',
    summary: 'A pull request that deletes a package (allowed to its owner) says so.',
    why: 'After the merge the package leaves the registry: installed copies keep working but receive no updates, and new installs fail.',
    example: '`publishers/alice/old-tool/` deleted',
    fix: 'Nothing to fix if the removal is intended. Otherwise restore the directory from the base branch.'
  },
  'namespace/duplicate-content': {
    severity: 'notice',
    summary: 'A new package does not have the same files (content digest) as a package another publisher already has in the marketplace.',
    why: "Republishing someone else's package under another name may be a fork with credit, or a copy made to ride on its reputation; reviewers should know which.",
    example: 'bob adds `publishers/bob/web-deploy/` with the same digest as `alice/web-deploy`',
    fix: "Nothing to fix for a fork with the original author's consent: say so in the pull request. Otherwise install the original instead of republishing it."
  },
  'namespace/maintainer-override': {
    severity: 'notice',
    summary: "A marketplace maintainer's pull request that changes files outside their own namespaces lists them.",
    why: 'Maintainers (marketplace.config.yaml `maintainers`) may change anything; the list keeps what they changed visible to whoever reviews the pull request.',
    example: 'octocat, a maintainer, edits `registry.json` and `publishers/alice/web-deploy/SKILL.md`',
    fix: "Nothing to fix; review the listed changes with the care another publisher's files deserve."
  }
} as const satisfies Record<string, Rule>
