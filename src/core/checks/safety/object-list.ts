// Lists of objects that look the same to V8 whether or not they hold anything. An array literal
// `[]` holds small integers until an object is stored (its map says "packed Smi elements"); the
// first object stored moves it, and every later array of the same literal, to "packed elements".
// A detector's loop compiled by TurboFan while every list it had read was empty checks for the
// first map only, so the first file with a hit discards that code (`--trace-deopt`: "wrong map" at
// the loop, or "code dependencies" when the literal's kind moves), and the detector and everything
// inlined into it is compiled again, in each thread. On an honest marketplace hits are rare and
// come late, after the detectors are optimized. A list made here has the "packed elements" map
// from the start, empty or not, so a loop over such lists sees one map.

/** A new empty array with the map of an array of objects. */
export function objectList<T extends object>(): T[] {
  const list: unknown[] = [undefined]
  list.pop()
  return list as T[]
}
