// A secret is masked in every check's findings, not only the safety scan's: here validate quotes
// a manifest value that holds a token, and the review must not carry it.
import { describe, it, expect } from '@jest/globals'
import { runOnSource } from '../src/core/review/source.js'
import { validateCheck } from '../src/core/checks/validate/index.js'
import { safetyCheck } from '../src/core/checks/safety/index.js'
import { tempMarketplace, validSkill, manifestYaml } from './helpers/marketplace.js'

// Built from pieces so this file holds no scannable token.
const TOKEN = ['ghp', '_', 'Zq8w3Lm1Xc7Vb2Nn9Kk4Jj6Hh5Gg0Ff1Dd2Ss'].join('')

describe('redaction across checks', () => {
  it('masks a token that validate quotes in a schema message', async () => {
    const files = { ...validSkill('alice', 'demo'), 'publishers/alice/demo/manifest.yaml': manifestYaml('demo', { version: `"${TOKEN}"` }) }
    const { root, cleanup } = tempMarketplace(files)
    try {
      const withSafety = await runOnSource({ kind: 'directory', root }, [validateCheck, safetyCheck], { toolVersion: 'test' })
      const schema = withSafety.findings.find((f) => f.rule === 'manifest/schema')
      expect(schema?.message).toMatch(/version/)
      expect(JSON.stringify(withSafety)).not.toContain(TOKEN)
      expect(schema?.message).toContain('ghp_…(')
      // Without the safety scan nothing knows it is a secret: it is quoted as written.
      const alone = await runOnSource({ kind: 'directory', root }, [validateCheck], { toolVersion: 'test' })
      expect(JSON.stringify(alone)).toContain(TOKEN)
    } finally {
      cleanup()
    }
  })
})
