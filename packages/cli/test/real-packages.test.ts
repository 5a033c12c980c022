// Issue 11 (a crash on real code): `smart-cache fingerprint` over every module of real published
// packages (ramda >= 0.29.1 crashed with "imp is not iterable" on names like toString) finishes
// without an internal error. Each package is copied outside node_modules, so its files are source.
import { spawnSync } from 'node:child_process'
import { cpSync, mkdtempSync, readdirSync, readFileSync, realpathSync, rmSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { afterAll, describe, expect, it } from 'vitest'

const bin = join(import.meta.dirname, '..', 'bin', 'smart-cache.mjs')
const dirs: string[] = []
afterAll(() => {
  for (const d of dirs.splice(0)) rmSync(d, { recursive: true, force: true })
}, 120_000)

interface RealPackage {
  name: string
  /** Which files are the package's modules (paths relative to the package folder, posix). */
  modules: (rel: string) => boolean
  /** At least this many exports must come out (the package's public functions, roughly). */
  minExports: number
}

const PACKAGES: RealPackage[] = [
  // ESM (es/) and CommonJS (src/) builds of every function; dist/ is a UMD bundle of the same.
  { name: 'ramda', modules: rel => /^(es|src)\/.+\.js$/.test(rel), minExports: 600 },
  // Every function in ESM and CommonJS, the shared internals and two locales; cdn*.js are bundles.
  {
    name: 'date-fns',
    modules: rel => /^([^/]+|_lib\/.+|locale\/(en-US|fr)(\/.+)?)\.c?js$/.test(rel) && !rel.startsWith('cdn'),
    minExports: 500,
  },
  // A TypeScript-source package: rxjs publishes its src/ beside the builds.
  { name: 'rxjs', modules: rel => /^src\/.+\.ts$/.test(rel) && !rel.endsWith('.d.ts'), minExports: 200 },
]

/** A copy of the installed package in a fresh project root; returns the root and the package's version. */
function copyPackage(name: string): { root: string; version: string } {
  const from = realpathSync(join(import.meta.dirname, '..', 'node_modules', name))
  const root = mkdtempSync(join(tmpdir(), `sc-real-${name}-`))
  dirs.push(root)
  cpSync(from, root, { recursive: true, dereference: true })
  return { root, version: (JSON.parse(readFileSync(join(root, 'package.json'), 'utf8')) as { version: string }).version }
}

function listModules(root: string, keep: (rel: string) => boolean): string[] {
  return readdirSync(root, { recursive: true, encoding: 'utf8' })
    .map(rel => rel.split('\\').join('/'))
    .filter(rel => !rel.startsWith('node_modules/') && keep(rel))
    .sort()
}

describe('smart-cache fingerprint over every module of real packages', () => {
  for (const pkg of PACKAGES) {
    it(`${pkg.name}: every module fingerprints, no internal error`, () => {
      const { root, version } = copyPackage(pkg.name)
      const modules = listModules(root, pkg.modules)
      expect(modules.length).toBeGreaterThan(100)
      const r = spawnSync(process.execPath, [bin, 'fingerprint', '--json', '--root', root, ...modules], {
        cwd: root,
        encoding: 'utf8',
        maxBuffer: 256 * 1024 * 1024,
      })
      expect(r.stderr).not.toContain('internal error')
      expect(r.status, r.stderr.slice(0, 2000)).toBe(0)
      const result = JSON.parse(r.stdout) as Record<string, string>
      const ids = Object.keys(result)
      for (const id of ids) expect(result[id], id).toMatch(/^[0-9a-f]{64}$/)
      const files = new Set(ids.map(id => id.slice(0, id.lastIndexOf('#'))))
      console.log(
        `[real-packages] ${pkg.name}@${version}: ${modules.length} modules, ${files.size} with exports, ${ids.length} exports fingerprinted, 0 internal errors`,
      )
      expect(ids.length).toBeGreaterThanOrEqual(pkg.minExports)
    }, 600_000)
  }
})
