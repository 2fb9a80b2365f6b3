// core/checks/safety/object-list.ts: the lists the detectors return and loop over have one V8 map,
// empty or not, so a loop compiled while every list was empty is not thrown away at the first hit.
// Maps are V8's to tell: a fresh node process compares them with its natives syntax.
import { describe, it, expect } from '@jest/globals'
import { runAfterModule } from './helpers/run-node.js'

describe('objectList', () => {
  it('is empty and has the map of a list of objects, where a literal [] has another until an object is stored', () => {
    const program = `
const { setFlagsFromString } = await import('node:v8')
setFlagsFromString('--allow-natives-syntax')
const sameMap = new Function('a', 'b', 'return %HaveSameMap(a, b)')
const filled = []
filled.push({ start: 0 })
const empty = objectList()
const used = objectList()
used.push({ start: 1 })
console.log(JSON.stringify({
  length: empty.length,
  emptyLikeFilled: sameMap(empty, filled),
  usedLikeFilled: sameMap(used, filled),
  literalLikeFilled: sameMap([], filled),
  separate: empty !== objectList()
}))`
    const out = JSON.parse(runAfterModule('core/checks/safety/object-list.ts', program)) as Record<string, unknown>
    expect(out).toEqual({ length: 0, emptyLikeFilled: true, usedLikeFilled: true, literalLikeFilled: false, separate: true })
  })
})
