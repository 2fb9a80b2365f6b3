// ts-jest in ESM mode: it transpiles only; `npm run typecheck` does the type checking.
export default {
  testEnvironment: 'node',
  extensionsToTreatAsEsm: ['.ts'],
  moduleNameMapper: { '^(\\.{1,2}/.*)\\.js$': '$1' },
  transform: {
    '^.+\\.ts$': ['ts-jest', { useESM: true, diagnostics: false }]
  },
  testMatch: ['<rootDir>/test/**/*.test.ts'],
  // Stale bundles rebuilt, a temporary folder per run; leftovers and unexercised rules fail the run.
  globalSetup: '<rootDir>/test/setup/global-setup.js',
  globalTeardown: '<rootDir>/test/setup/global-teardown.js',
  setupFilesAfterEnv: ['<rootDir>/test/setup/record-rules.ts'],
  testTimeout: 60000,
  maxWorkers: 2,
  // A worker has this long to exit once its files are done before jest kills it and prints "A
  // worker process has failed to exit gracefully" (default 500 ms). On 2 shared cores at load
  // 13-15, two test files that only compare 1 with 1 got that message in 2 of 3 runs: shutting
  // down a worker that loaded ts-jest and the VM modules takes longer than 500 ms there, and
  // --detectOpenHandles found no open handle in the suites it was printed after. A real leak (a
  // server or interval never closed) still holds a worker past 10 s and is still reported.
  workerGracefulExitTimeout: 10000
}
