// How the stats document is fetched unless told otherwise. Apart from fetch-stats.ts so that the
// action and the CLI can show these defaults without loading the fetcher and its schema.
export const STATS_DEFAULTS = { timeoutMs: 30_000, retries: 3, backoffMs: 1_000, maxRetryAfterMs: 60_000, maxBytes: 32 * 1024 * 1024 }
