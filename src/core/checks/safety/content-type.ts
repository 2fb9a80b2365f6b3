// What kind of bytes a file holds, decided from its first bytes and its name: text to scan, an
// image or font a skill may ship, or something no reviewer can read (an executable, an archive, a
// git-lfs pointer whose content is elsewhere, bytes that are not UTF-8 text).
import type { Limits } from '../../config/config.js'
import type { TreeEntry } from '../../snapshot/types.js'
import { finding, type Finding } from '../../findings/findings.js'
import { showName } from '../../marketplace/layout.js'
import { decodeText } from '../../parse/text.js'
import { extensionOf } from './file.js'
import type { PackageRef } from '../../marketplace/paths.js'

export type Content =
  | { kind: 'text'; text: string }
  | { kind: 'media' }
  | { kind: 'lfs-pointer' }
  | { kind: 'archive'; what: string }
  | { kind: 'binary'; what: string }

const starts = (bytes: Uint8Array, sig: readonly number[], at = 0) => sig.every((b, i) => bytes[at + i] === b)
const ascii = (s: string) => [...s].map((c) => c.charCodeAt(0))

const ARCHIVE_MAGIC: [string, number[], number?][] = [
  ['a zip archive', [0x50, 0x4b, 0x03, 0x04]],
  ['an empty zip archive', [0x50, 0x4b, 0x05, 0x06]],
  ['a gzip archive', [0x1f, 0x8b]],
  ['a bzip2 archive', ascii('BZh')],
  ['an xz archive', [0xfd, 0x37, 0x7a, 0x58, 0x5a, 0x00]],
  ['a 7-Zip archive', [0x37, 0x7a, 0xbc, 0xaf, 0x27, 0x1c]],
  ['a RAR archive', ascii('Rar!\x1a\x07')],
  ['a zstd archive', [0x28, 0xb5, 0x2f, 0xfd]],
  ['a tar archive', ascii('ustar'), 257]
]
const ARCHIVE_EXTENSIONS =
  /^(?:zip|tar|gz|tgz|bz2|tbz2?|xz|txz|7z|rar|zst|lz|lzma|cab|iso|dmg|jar|war|ear|whl|egg|apk|crx|vsix|nupkg|deb|rpm|mcpb|dxt|skill)$/

const EXECUTABLE_MAGIC: [string, number[]][] = [
  ['an ELF executable', [0x7f, 0x45, 0x4c, 0x46]],
  ['a Windows executable', ascii('MZ')],
  ['a Mach-O executable', [0xcf, 0xfa, 0xed, 0xfe]],
  ['a Mach-O executable', [0xce, 0xfa, 0xed, 0xfe]],
  ['a Mach-O executable', [0xfe, 0xed, 0xfa, 0xcf]],
  ['a Mach-O or Java class file', [0xca, 0xfe, 0xba, 0xbe]],
  ['a WebAssembly module', [0x00, 0x61, 0x73, 0x6d]]
]

/** Media a skill may ship, by extension, with the bytes each must start with. */
const MEDIA: Record<string, (b: Uint8Array) => boolean> = {
  png: (b) => starts(b, [0x89, 0x50, 0x4e, 0x47]),
  jpg: (b) => starts(b, [0xff, 0xd8, 0xff]),
  jpeg: (b) => starts(b, [0xff, 0xd8, 0xff]),
  gif: (b) => starts(b, ascii('GIF8')),
  webp: (b) => starts(b, ascii('RIFF')) && starts(b, ascii('WEBP'), 8),
  ico: (b) => starts(b, [0x00, 0x00, 0x01, 0x00]),
  bmp: (b) => starts(b, ascii('BM')),
  avif: (b) => starts(b, ascii('ftyp'), 4),
  pdf: (b) => starts(b, ascii('%PDF')),
  woff: (b) => starts(b, ascii('wOFF')),
  woff2: (b) => starts(b, ascii('wOF2')),
  ttf: (b) => starts(b, [0x00, 0x01, 0x00, 0x00]),
  otf: (b) => starts(b, ascii('OTTO')),
  mp3: (b) => starts(b, ascii('ID3')) || starts(b, [0xff, 0xfb]),
  wav: (b) => starts(b, ascii('RIFF')) && starts(b, ascii('WAVE'), 8),
  ogg: (b) => starts(b, ascii('OggS')),
  mp4: (b) => starts(b, ascii('ftyp'), 4)
}

const LFS_POINTER = /^version https:\/\/git-lfs\.github\.com\/spec\/v1\r?\n/

export function classifyContent(path: string, bytes: Uint8Array): Content {
  const ext = extensionOf(path)
  for (const [what, sig, at] of ARCHIVE_MAGIC) if (starts(bytes, sig, at ?? 0)) return { kind: 'archive', what }
  if (ARCHIVE_EXTENSIONS.test(ext)) return { kind: 'archive', what: `a .${ext} archive` }
  const media = MEDIA[ext]
  if (media?.(bytes)) return { kind: 'media' }
  for (const [what, sig] of EXECUTABLE_MAGIC) {
    // `MZ` and the like also begin plain text ("MZ-700 notes"): only binary content counts.
    if (starts(bytes, sig) && !decodeText(bytes).ok) return { kind: 'binary', what }
  }
  if (starts(bytes, [0xff, 0xfe]) || starts(bytes, [0xfe, 0xff]))
    return { kind: 'binary', what: 'UTF-16 text, which the marketplace does not read as text' }
  const decoded = decodeText(bytes)
  if (!decoded.ok)
    return { kind: 'binary', what: media ? `not a valid .${ext} file, and ${decoded.reason}` : `not text: ${decoded.reason}` }
  if (LFS_POINTER.test(decoded.text)) return { kind: 'lfs-pointer' }
  return { kind: 'text', text: decoded.text }
}

/** The finding for content no reviewer can read, or none for text and media. */
export function contentFinding(pkg: PackageRef, entry: TreeEntry, content: Content): Finding | undefined {
  // Asked for every file read: the name is shown only for a finding.
  if (content.kind === 'text' || content.kind === 'media') return undefined
  const at = { package: pkg.id, file: entry.path }
  const rel = showName(entry.path.slice(pkg.dir.length + 1))
  switch (content.kind) {
    case 'lfs-pointer':
      return finding(
        'type/lfs-pointer',
        at,
        `\`${rel}\` is a git-lfs pointer: its real content is stored elsewhere, was not reviewed, and clients installing from the marketplace get the pointer text`,
        'Commit the file itself (`git lfs untrack` it and add it again), within the size limits.'
      )
    case 'archive':
      return finding(
        'type/archive',
        at,
        `\`${rel}\` is ${content.what}: its files cannot be reviewed, so they could hold anything`,
        'Commit the files unpacked instead of the archive.'
      )
    case 'binary':
      return finding(
        'type/binary',
        at,
        `\`${rel}\` is ${content.what}; the marketplace accepts text files (UTF-8) and common images, fonts and documents only`,
        'Commit source code rather than compiled files, save text as UTF-8, and give images their real extension (.png, .jpg, .svg...).'
      )
    default:
      return undefined
  }
}

export function fileSizeFinding(pkg: PackageRef, entry: TreeEntry, limits: Limits): Finding {
  return finding(
    'size/file',
    { package: pkg.id, file: entry.path },
    `\`${showName(entry.path.slice(pkg.dir.length + 1))}\` is ${entry.size.toLocaleString('en-US')} bytes; every file must be under ${limits.file_bytes.toLocaleString('en-US')} bytes (it was not read)`,
    'Make the file smaller or split it; large data belongs in a release asset or on a web page the skill links to.'
  )
}

/** The package's total size and file count against the config's limits. */
export function packageSizeFindings(pkg: PackageRef, entries: readonly TreeEntry[], limits: Limits): Finding[] {
  const findings: Finding[] = []
  const at = { package: pkg.id, file: pkg.dir }
  const total = entries.reduce((sum, e) => sum + (e.kind === 'file' ? e.size : 0), 0)
  if (total >= limits.package_bytes) {
    findings.push(
      finding(
        'size/package',
        at,
        `the package's files add up to ${total.toLocaleString('en-US')} bytes; a package must stay under ${limits.package_bytes.toLocaleString('en-US')} bytes`,
        'Remove what the package does not need at run time (tests, build output, large examples).'
      )
    )
  }
  if (entries.length > limits.files_per_package) {
    findings.push(
      finding(
        'size/file-count',
        at,
        `the package holds ${entries.length.toLocaleString('en-US')} files, more than the ${limits.files_per_package.toLocaleString('en-US')} allowed; only the first ${limits.files_per_package.toLocaleString('en-US')} were scanned`,
        'Remove files the package does not need (build output, dependencies such as node_modules, test data).'
      )
    )
  }
  return findings
}
