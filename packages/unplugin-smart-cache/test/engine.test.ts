import { describe, expect, it } from 'vitest'
import { createEngine } from '../src/core/engine.js'
import { fakeEngine } from './helpers.js'

describe('engine access', () => {
  it('runs one fingerprint call at a time, whatever the bundler\'s concurrency', async () => {
    const inner = fakeEngine()
    let inFlight = 0
    let most = 0
    const slow = { ...inner, async fingerprint(file: string, name: string) {
      inFlight++
      most = Math.max(most, inFlight)
      await new Promise(r => setTimeout(r, 5))
      inFlight--
      return inner.fingerprint(file, name)
    } }
    const engine = await createEngine('/root', undefined, slow)
    const results = await Promise.all(['a', 'b', 'c', 'd'].map(n => engine.fingerprint('src/x.js', n)))
    expect(results.map(r => r.id)).toEqual(['src/x.js#a', 'src/x.js#b', 'src/x.js#c', 'src/x.js#d'])
    expect(most).toBe(1)
  })

  it('keeps going after a failed call', async () => {
    const engine = await createEngine('/root', undefined, fakeEngine({}, ['src/x.js#bad']))
    const [bad, good] = await Promise.allSettled([engine.fingerprint('src/x.js', 'bad'), engine.fingerprint('src/x.js', 'good')])
    expect(bad.status).toBe('rejected')
    expect(good.status).toBe('fulfilled')
  })
})
