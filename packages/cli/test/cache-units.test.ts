// Pure pieces of the cache commands: size/duration parsing, the prune plan, the progress bar.
import { PassThrough } from 'node:stream'
import type { StoreEntry } from 'smart-cache/store'
import { describe, expect, it } from 'vitest'
import { CliError } from '../src/errors.ts'
import { createProgress, PROGRESS_THRESHOLD } from '../src/progress.ts'
import { planPrune } from '../src/prune-plan.ts'
import { namedFingerprints } from '../src/manifests.ts'
import { statusOf } from '../src/status.ts'
import { parseDuration, parseSize } from '../src/units.ts'

describe('parseDuration / parseSize', () => {
  it('reads human units', () => {
    expect(parseDuration('7d', '--max-age')).toBe(7 * 86_400_000)
    expect(parseDuration('1.5h', '--max-age')).toBe(5_400_000)
    expect(parseDuration('30m', '--max-age')).toBe(1_800_000)
    expect(parseSize('500MB', '--max-size')).toBe(500 * 1024 * 1024)
    expect(parseSize('64kb', '--max-size')).toBe(65_536)
    expect(parseSize('1234', '--max-size')).toBe(1234)
  })

  it('rejects what could be misread, naming the flag and an example', () => {
    for (const bad of ['7', '', 'soon', '-1d', '7 parsecs', '0d']) expect(() => parseDuration(bad, '--max-age'), bad).toThrow(CliError)
    for (const bad of ['', 'lots', '5 parsecs', '-1MB', '1e3'])
      expect(() => parseSize(bad, '--max-size'), bad).toThrow(
        /^\[smart-cache\] --max-size '.*' is not a size\. Fix: .* e\.g\. --max-size 500MB/,
      )
  })
})

const entry = (key: string, over: Partial<StoreEntry> = {}): StoreEntry =>
  ({
    key,
    id: 'f',
    fingerprint: 'a',
    argsHash: key,
    size: 100,
    createdAt: 0,
    lastAccess: 1000,
    error: false,
    corrupt: false,
    signed: false,
    ...over,
  }) as StoreEntry

describe('planPrune', () => {
  const entries = [
    entry('k1', { corrupt: true, id: '' }),
    entry('k2', { fingerprint: 'old' }),
    entry('k3', { id: 'other', fingerprint: 'zzz' }),
    entry('k4', { lastAccess: 10 }),
    entry('k5', { lastAccess: 500 }),
    entry('k6', { lastAccess: 400 }),
    entry('k7', { lastAccess: 400 }),
  ]
  const named = new Map([['f', new Set(['a'])]])

  it('applies the rules in order: corrupt, old fingerprint, age, then LRU (ties by key) down to the size', () => {
    const plan = planPrune(entries, { named, maxAge: 600, maxSize: 250, now: 1000 })
    expect(plan.remove.map(r => [r.entry.key, r.reason])).toEqual([
      ['k1', 'corrupt'],
      ['k2', 'unnamed'],
      ['k4', 'age'],
      ['k6', 'size'],
      ['k7', 'size'],
    ])
    expect(plan.kept).toEqual({ entries: 2, bytes: 200 })
    expect(plan.totals.size).toEqual({ entries: 2, bytes: 200 })
  })

  it('ids no manifest names are kept; without rules only corrupt entries go', () => {
    expect(planPrune(entries, { named, now: 1000 }).remove.map(r => r.entry.key)).toEqual(['k1', 'k2'])
    expect(planPrune(entries, { now: 1000 }).remove.map(r => r.entry.key)).toEqual(['k1'])
  })
})

describe('createProgress', () => {
  const sink = (tty: boolean) => {
    const stream = Object.assign(new PassThrough(), {
      isTTY: tty,
      columns: 80,
      cursorTo: () => true,
      clearLine: () => true,
      moveCursor: () => true,
    })
    let out = ''
    stream.on('data', d => (out += d))
    return { stream: stream as unknown as NodeJS.WriteStream, text: () => out }
  }

  it('draws on a terminal for large jobs only, and never on a pipe', () => {
    const tty = sink(true)
    const bar = createProgress('pruning', PROGRESS_THRESHOLD, tty.stream)
    bar.tick(PROGRESS_THRESHOLD)
    bar.stop()
    expect(tty.text()).toContain('pruning [')
    const pipe = sink(false)
    const none = createProgress('pruning', 10 * PROGRESS_THRESHOLD, pipe.stream)
    none.tick(10)
    none.stop()
    const small = sink(true)
    createProgress('pruning', 3, small.stream).stop()
    expect(pipe.text() + small.text()).toBe('')
  })
})

describe('namedFingerprints', () => {
  it('names every fingerprint some manifest names for an id (a client and an SSR build each keep theirs)', () => {
    const m = (time: number, functions: Record<string, string>) => ({
      file: `m${time}.json`,
      time,
      manifest: {
        version: 1 as const,
        createdAt: '',
        functions: Object.fromEntries(Object.entries(functions).map(([id, fingerprint]) => [id, { fingerprint, deps: [] }])),
      },
    })
    const named = namedFingerprints([m(3, { 'a#x': 'client' }), m(2, { 'a#x': 'ssr', 'ssr#y': 'y2' }), m(1, { 'ssr#y': 'y1' })])
    expect([...named].map(([id, set]) => [id, [...set].sort()])).toEqual([
      ['a#x', ['client', 'ssr']],
      ['ssr#y', ['y1', 'y2']],
    ])
    // ls/stats: the SSR build's entries are live though the newest manifest (the client's) names another fingerprint.
    const entry = (fingerprint: string) => ({ id: 'a#x', fingerprint }) as StoreEntry
    expect(['client', 'ssr', 'gone'].map(f => statusOf(entry(f), named))).toEqual(['current', 'current', 'stale'])
    expect(statusOf({ id: 'b#z', fingerprint: 'f' } as StoreEntry, named)).toBe('unknown')
  })
})
