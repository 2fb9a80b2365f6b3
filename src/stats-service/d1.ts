// The D1 (SQLite) storage of the stats service: every SQL statement it runs, and the few D1 types
// it uses (declared here rather than pulling in @cloudflare/workers-types for five signatures).
// Each write is one `batch`, which D1 runs as one transaction: a ping is counted, its day's total
// raised and `changed_at` moved together or not at all. The schema is
// examples/stats-service/migrations/0001_init.sql.
import type { Aggregates, DailyRow, RatingRow, TotalRow } from '../core/stats/document.js'
import { DOWNLOAD_WINDOW_DAYS } from '../core/scores/formula.js'

export interface D1Result<T> {
  results: T[]
  meta: { changes: number; size_after?: number }
}

export interface D1PreparedStatement {
  bind(...values: unknown[]): D1PreparedStatement
  first<T>(): Promise<T | null>
  all<T>(): Promise<D1Result<T>>
  run(): Promise<D1Result<unknown>>
}

export interface D1Database {
  prepare(sql: string): D1PreparedStatement
  batch<T = unknown>(statements: D1PreparedStatement[]): Promise<D1Result<T>[]>
}

/** The day's salt, created by whichever request comes first (the others read the same row). */
export async function daySalt(db: D1Database, day: string, candidate: Uint8Array): Promise<Uint8Array> {
  const [, row] = await db.batch<{ salt: ArrayBuffer | number[] }>([
    db.prepare('INSERT OR IGNORE INTO day_salt (day, salt) VALUES (?1, ?2)').bind(day, candidate),
    db.prepare('SELECT salt FROM day_salt WHERE day = ?1').bind(day)
  ])
  const salt = row?.results[0]?.salt
  if (salt === undefined) throw new Error(`no salt for ${day}`)
  return new Uint8Array(salt)
}

/** Counts the install unless the day already has its hash. True when it counted. */
export async function countInstall(db: D1Database, day: string, hash: Uint8Array, pkg: string, now: string): Promise<boolean> {
  const [seen] = await db.batch([
    db.prepare('INSERT OR IGNORE INTO day_seen (hash, day) VALUES (?1, ?2)').bind(hash, day),
    // changes() is the row count of the statement before: 1 only when the hash was new.
    db
      .prepare(
        'INSERT INTO daily_installs (package, day, count) SELECT ?1, ?2, 1 WHERE changes() = 1 ON CONFLICT (package, day) DO UPDATE SET count = count + 1'
      )
      .bind(pkg, day),
    changedAt(db, now)
  ])
  return seen?.meta.changes === 1
}

/** Stores the rating under the rater's row key; the latest wins. */
export async function storeRating(db: D1Database, row: Uint8Array, pkg: string, rating: number, now: string): Promise<void> {
  await db.batch([
    db
      .prepare(
        'INSERT INTO ratings (rater, package, rating) VALUES (?1, ?2, ?3) ON CONFLICT (rater) DO UPDATE SET rating = excluded.rating WHERE rating <> excluded.rating'
      )
      .bind(row, pkg, rating),
    changedAt(db, now)
  ])
}

// Moves `changed_at` when the statement before changed a row; never backwards.
function changedAt(db: D1Database, now: string): D1PreparedStatement {
  return db
    .prepare(
      "INSERT INTO meta (key, value) SELECT 'changed_at', ?1 WHERE changes() = 1 ON CONFLICT (key) DO UPDATE SET value = max(value, excluded.value)"
    )
    .bind(now)
}

/** Closes every day before `today`: its salt and de-duplication hashes are deleted. */
export async function closeDaysBefore(db: D1Database, today: string): Promise<{ salts: number; hashes: number }> {
  const [hashes, salts] = await db.batch([
    db.prepare('DELETE FROM day_seen WHERE day < ?1').bind(today),
    db.prepare('DELETE FROM day_salt WHERE day < ?1').bind(today)
  ])
  return { hashes: hashes?.meta.changes ?? 0, salts: salts?.meta.changes ?? 0 }
}

/**
 * The aggregates for the stats document, read in one transaction so `generated_at` and the counts
 * agree. `fallbackAt` stands for `generated_at` before anything was counted.
 */
export async function readAggregates(db: D1Database, fallbackAt: string): Promise<Aggregates> {
  const [meta, totals, daily, ratings] = await db.batch<unknown>([
    db.prepare("SELECT value FROM meta WHERE key = 'changed_at'"),
    db.prepare('SELECT package, SUM(count) AS total FROM daily_installs GROUP BY package'),
    // The window is measured from generated_at (statsDocument filters by the same rule); this only
    // keeps older days from being read at all.
    db
      .prepare(
        "SELECT package, day, count FROM daily_installs WHERE day >= date(coalesce((SELECT value FROM meta WHERE key = 'changed_at'), ?1), ?2)"
      )
      .bind(fallbackAt, `-${DOWNLOAD_WINDOW_DAYS} days`),
    db.prepare('SELECT package, rating, COUNT(*) AS count FROM ratings GROUP BY package, rating')
  ])
  return {
    generatedAt: (meta?.results[0] as { value: string } | undefined)?.value ?? fallbackAt,
    totals: (totals?.results ?? []) as TotalRow[],
    daily: (daily?.results ?? []) as DailyRow[],
    ratings: (ratings?.results ?? []) as RatingRow[]
  }
}
