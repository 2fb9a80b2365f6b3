import { describe, it, expect } from '@jest/globals'
import { createHash } from 'node:crypto'
import { DirectorySnapshot } from '../src/core/snapshot/directory-snapshot.js'
import { GitSnapshot } from '../src/core/git/git-snapshot.js'
import { packageDigest } from '../src/core/marketplace/digest.js'
import { makeRepo } from './helpers/git-repo.js'
import { packageRef } from '../src/core/marketplace/paths.js'
import { readPackage } from '../src/core/registry/build/model.js'
import { releaseContent } from '../src/core/registry/build/releases.js'
import { defaultConfig } from '../src/core/config/config.js'
import { manifestYaml, skillMd } from './helpers/marketplace.js'

const ref = packageRef('alice', 'demo')
const sha = (s: string) => createHash('sha256').update(s).digest('hex')

describe('packageDigest', () => {
  it('follows its documented definition and is the same from a commit and from the checked-out directory', async () => {
    const repo = await makeRepo()
    try {
      repo.write('publishers/alice/demo/manifest.yaml', 'name: demo\n')
      repo.write('publishers/alice/demo/bin/run.sh', '#!/bin/sh\n', 0o755)
      repo.write('publishers/alice/demo/review.json', '{"verdict":"pass"}\n')
      repo.write('publishers/alice/demo-two/x', 'other package\n')
      const commit = repo.commit('add')
      const expected = `sha256:${sha(`100755 ${sha('#!/bin/sh\n')} bin/run.sh\n100644 ${sha('name: demo\n')} manifest.yaml\n`)}`
      const git = new GitSnapshot(repo.dir, commit)
      const dir = new DirectorySnapshot(repo.dir)
      try {
        expect(await packageDigest(git, ref, await git.walk(ref.dir), 1 << 20)).toBe(expected)
        expect(await packageDigest(dir, ref, await dir.walk(ref.dir), 1 << 20)).toBe(expected)
      } finally {
        await git.close()
        await dir.close()
      }
    } finally {
      await repo.cleanup()
    }
  })

  it('changes with content, names and the executable bit, not with review.json', async () => {
    const repo = await makeRepo()
    try {
      const digestAt = async (commit: string) => {
        const s = new GitSnapshot(repo.dir, commit)
        try {
          return await packageDigest(s, ref, await s.walk(ref.dir), 1 << 20)
        } finally {
          await s.close()
        }
      }
      repo.write('publishers/alice/demo/a.md', 'A\n')
      const base = await digestAt(repo.commit('1'))
      repo.write('publishers/alice/demo/review.json', '{}\n')
      expect(await digestAt(repo.commit('review record'))).toBe(base)
      repo.write('publishers/alice/demo/a.md', 'A\n', 0o755)
      const executable = await digestAt(repo.commit('chmod'))
      expect(executable).not.toBe(base)
      repo.write('publishers/alice/demo/a.md', 'B\n', 0o644)
      expect(await digestAt(repo.commit('content'))).not.toBe(base)
    } finally {
      await repo.cleanup()
    }
  })
})

describe('the registry build read (model.ts)', () => {
  it('hashes each file once: the SHA-256 it keeps per file is the digest line and the release record line', async () => {
    const repo = await makeRepo()
    try {
      repo.write('publishers/alice/demo/manifest.yaml', manifestYaml('demo'))
      repo.write('publishers/alice/demo/SKILL.md', skillMd('demo'))
      repo.write('publishers/alice/demo/scripts/run.sh', '#!/bin/sh\necho run\n', 0o755)
      repo.write('publishers/alice/demo/review.json', '{"verdict":"pass"}\n')
      const git = new GitSnapshot(repo.dir, repo.commit('add'))
      try {
        const entries = await git.walk(ref.dir)
        const read = await readPackage(git, ref, defaultConfig(), entries)
        expect(read.ok).toBe(true)
        if (!read.ok) return
        const { files, digest } = read.pkg
        expect(files.map((f) => [f.path, f.sha256])).toEqual(files.map((f) => [f.path, createHash('sha256').update(f.bytes).digest('hex')]))
        expect(files.map((f) => f.path)).toEqual(['SKILL.md', 'manifest.yaml', 'scripts/run.sh'])
        expect(digest).toBe(await packageDigest(git, ref, entries, 1 << 20))
        // The release record names the same hashes, taken from the read rather than hashed again.
        expect(releaseContent('skill', undefined, files).files.map((f) => f.sha256)).toEqual(files.map((f) => f.sha256))
        expect(releaseContent('skill', undefined, files).files).toEqual(
          releaseContent(
            'skill',
            undefined,
            files.map(({ path, mode, bytes }) => ({ path, mode, bytes }))
          ).files
        )
      } finally {
        await git.close()
      }
    } finally {
      await repo.cleanup()
    }
  })
})
