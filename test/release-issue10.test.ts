// Release rules of issue 10 at their smallest: versions compared exactly past 2^53-1 (as numbers,
// 1.0.9007199254740992 and ...993 are equal, so a downgrade passed), and the exact ordering
// agreeing with npm's semver package wherever that one can count. The re-added package and the
// copied package are whole pull requests in the corpus (test/safety-corpus.test.ts).
import { describe, it, expect } from '@jest/globals'
import semver from 'semver'
import { compareVersions, comparableVersion, nextVersions } from '../src/core/checks/release/versions.js'

describe('versions compared exactly', () => {
  it('orders numbers past 2^53-1 exactly', () => {
    expect(comparableVersion('1.0.9007199254740993')).toBe('1.0.9007199254740993')
    expect(compareVersions('1.0.9007199254740992', '1.0.9007199254740993')).toBeLessThan(0)
    expect(compareVersions('99999999999999999999.0.0', '99999999999999999998.9.9')).toBeGreaterThan(0)
    expect(compareVersions('1.0.0-rc.9007199254740993', '1.0.0-rc.9007199254740992')).toBeGreaterThan(0)
    expect(nextVersions('1.0.9007199254740993').map((n) => n.version)).toEqual(['1.0.9007199254740994', '1.1.0', '2.0.0'])
  })

  it('agrees with semver where semver can count', () => {
    const vs = [
      '0.0.1',
      '1.0.0-alpha',
      '1.0.0-alpha.1',
      '1.0.0-alpha.beta',
      '1.0.0-beta.2',
      '1.0.0-beta.11',
      '1.0.0-rc.1',
      '1.0.0',
      '1.0.0+build.5',
      '1.2.3',
      '1.10.0',
      '2.0.0'
    ]
    for (const a of vs) for (const b of vs) expect([a, b, Math.sign(compareVersions(a, b))]).toEqual([a, b, semver.compare(a, b)])
    for (const v of vs)
      expect(nextVersions(v).map((n) => n.version)).toEqual(
        nextVersions(v)
          .map((n) => n.version)
          .filter((x) => semver.valid(x))
      )
  })
})
