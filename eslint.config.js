// typescript-eslint's strict preset, plus the type-aware rules that catch lost promises: a
// rejected promise nobody awaits is how a job-summary failure once escaped a `finally`.
import js from '@eslint/js'
import tseslint from 'typescript-eslint'
import globals from 'globals'

export default tseslint.config(
  { ignores: ['dist/**', 'node_modules/**', 'coverage/**', 'src/generated/**', 'examples/**', 'test/fixtures/safety-corpus/**'] },
  js.configs.recommended,
  ...tseslint.configs.strict,
  {
    languageOptions: {
      globals: { ...globals.node },
      parserOptions: { projectService: { allowDefaultProject: ['*.js', 'test/setup/*.js'] }, tsconfigRootDir: import.meta.dirname }
    },
    rules: {
      '@typescript-eslint/no-unused-vars': ['error', { argsIgnorePattern: '^_', varsIgnorePattern: '^_' }],
      '@typescript-eslint/consistent-type-imports': 'error',
      '@typescript-eslint/no-floating-promises': 'error',
      '@typescript-eslint/no-misused-promises': 'error',
      '@typescript-eslint/await-thenable': 'error',
      '@typescript-eslint/no-unnecessary-type-assertion': 'error',
      '@typescript-eslint/switch-exhaustiveness-check': ['error', { considerDefaultExhaustiveForUnions: true }],
      eqeqeq: ['error', 'always', { null: 'ignore' }],
      'prefer-const': 'error',
      'no-console': 'error'
    }
  },
  // The core is pure: no console, no process.env (DESIGN.md). Adapters, scripts and tests may print.
  { files: ['src/cli/**', 'src/actions/**', 'src/stats-service/**', 'scripts/**', 'test/**', '*.js'], rules: { 'no-console': 'off' } },
  // A test states what it expects; a non-null assertion there fails the test as clearly as an expect.
  { files: ['test/**'], rules: { '@typescript-eslint/no-non-null-assertion': 'off' } },
  {
    files: ['src/core/**'],
    rules: {
      'no-restricted-properties': [
        'error',
        { object: 'process', property: 'env', message: 'The core takes values; read the environment in an adapter.' }
      ]
    }
  }
)
