import { execFileSync } from 'node:child_process'
import { existsSync, readdirSync, statSync } from 'node:fs'
import { join } from 'node:path'

/** Child-process tests (test/fixtures/*.mjs) run the built runtime: build it when src is newer than dist. */
export default function setup(): void {
  const pkg = join(import.meta.dirname, '..')
  const built = join(pkg, 'dist', 'node.mjs')
  const newest = Math.max(
    0,
    ...readdirSync(join(pkg, 'src'), { withFileTypes: true, recursive: true })
      .filter(e => e.isFile())
      .map(e => statSync(join(e.parentPath, e.name)).mtimeMs),
  )
  if (existsSync(built) && statSync(built).mtimeMs >= newest) return
  execFileSync('pnpm', ['exec', 'tsdown'], { cwd: pkg, stdio: 'inherit' })
}
