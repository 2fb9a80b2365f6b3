// The files the marketplace writes itself after a merge (build-registry and the review record).
// A pull request never edits them: they are rebuilt from the packages, so an edit would either be
// overwritten or publish something no review looked at.
import {
  CLAUDE_MARKETPLACE_FILE,
  PUBLISHED_INDEX_DIR,
  PUBLISHERS_DIR,
  REGISTRY_FILE,
  REVIEW_RECORD_FILE,
  WELL_KNOWN_ROOT
} from './paths.js'

/**
 * What a generated file is, for messages, or undefined when the path is not one. Only a review
 * record at a package's root is generated (the one the digest leaves out); a review.json deeper
 * inside a package is the publisher's own file.
 */
export function generatedFileKind(path: string): string | undefined {
  if (path === REGISTRY_FILE) return 'the registry index'
  if (path === CLAUDE_MARKETPLACE_FILE) return 'the Claude Code marketplace index'
  if (path === PUBLISHED_INDEX_DIR || path.startsWith(`${PUBLISHED_INDEX_DIR}/`)) return "part of the registry's published-versions index"
  if (path.startsWith(`${WELL_KNOWN_ROOT}/`)) return 'part of the well-known index'
  const parts = path.split('/')
  if (parts.length === 4 && parts[0] === PUBLISHERS_DIR && parts[3] === REVIEW_RECORD_FILE) return "the package's review record"
  return undefined
}
