// The file lists the publish stage keeps of each package it read until the site stage writes its
// release record (releases.ts), packed into shared byte pages. As objects, a list was ~570 bytes of
// heap a package (an object per file, a 64-character hex string per digest, an array): ~57 MB at
// 100,000 packages, live when the publish stage ends, and V8 lets the heap grow to about three
// times what is live at a full collection. Packed, a file is its mode, size, raw SHA-256 and path:
// about 47 bytes, outside the heap, in pages of PAGE bytes shared by many packages.
//
// One file, in order: mode (1 byte: 0 = 100644, 1 = 100755), size (uint32 LE), SHA-256 (32 bytes),
// path length (uint32 LE), path (UTF-8). A list: its file count (uint32 LE), then its files. (A
// marketplace may allow 100,000 files a package, and git paths longer than 65,535 bytes: no uint16.)

/** A file of a package as its release record lists it (releases.ts). */
export interface ListedFile {
  path: string
  mode: string
  size: number
  sha256: string
}

/** Where a packed list is: its page and offset. */
export interface PackedList {
  readonly page: number
  readonly at: number
}

const PAGE = 256 * 1024
/** A file's bytes before its path: mode, size, SHA-256, path length. */
const FILE_HEADER = 41
const MODES = ['100644', '100755'] as const

export class PackedFileLists {
  private readonly pages: Buffer[] = []
  private used = PAGE

  /** Packs `files` (their order is kept); the lists are read back with get(). */
  put(files: readonly ListedFile[]): PackedList {
    let size = 4
    for (const f of files) size += FILE_HEADER + Buffer.byteLength(f.path, 'utf8')
    if (this.used + size > PAGE) {
      this.pages.push(Buffer.allocUnsafe(Math.max(PAGE, size)))
      this.used = 0
    }
    const page = this.pages.length - 1
    const buffer = this.pages[page] as Buffer
    const start = this.used
    let at = buffer.writeUInt32LE(files.length, start)
    for (const f of files) {
      buffer[at] = modeCode(f.mode)
      buffer.writeUInt32LE(f.size, at + 1)
      if (buffer.write(f.sha256, at + 5, 32, 'hex') !== 32 || f.sha256.length !== 64)
        throw new Error(`internal error: ${f.path} has no SHA-256 to pack`)
      const length = buffer.write(f.path, at + FILE_HEADER, 'utf8')
      buffer.writeUInt32LE(length, at + 37)
      at += FILE_HEADER + length
    }
    this.used = at
    return { page, at: start }
  }

  /** The list packed at `list`, as it was put. */
  get(list: PackedList): ListedFile[] {
    const buffer = this.pages[list.page]
    if (!buffer) throw new Error('internal error: no such packed file list')
    const count = buffer.readUInt32LE(list.at)
    const files: ListedFile[] = []
    let at = list.at + 4
    for (let i = 0; i < count; i++) {
      const mode = MODES[buffer[at] as 0 | 1]
      const size = buffer.readUInt32LE(at + 1)
      const sha256 = buffer.toString('hex', at + 5, at + 37)
      const length = buffer.readUInt32LE(at + 37)
      const path = buffer.toString('utf8', at + FILE_HEADER, at + FILE_HEADER + length)
      at += FILE_HEADER + length
      // Keys in canonical order, as the release record's canonicalJson writes them without a sorted copy.
      files.push({ mode, path, sha256, size })
    }
    return files
  }

  /** Lets every list go (the site stage has written the records). */
  clear(): void {
    this.pages.length = 0
    this.used = PAGE
  }
}

function modeCode(mode: string): 0 | 1 {
  if (mode === '100644') return 0
  if (mode === '100755') return 1
  throw new Error(`internal error: a file mode ${mode} cannot be packed`)
}
