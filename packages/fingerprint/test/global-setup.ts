import { execFileSync } from 'node:child_process'
import { existsSync, readdirSync, statSync } from 'node:fs'
import { join } from 'node:path'

/** Tests use the built package (the parser runs in `dist/worker.mjs`): build when src is newer. */
export default function setup(): void {
  const pkg = join(import.meta.dirname, '..')
  const built = join(pkg, 'dist', 'worker.mjs')
  const newest = (dir: string): number =>
    Math.max(
      0,
      ...readdirSync(dir, { withFileTypes: true, recursive: true })
        .filter(e => e.isFile())
        .map(e => statSync(join(e.parentPath, e.name)).mtimeMs),
    )
  if (existsSync(built) && statSync(built).mtimeMs >= newest(join(pkg, 'src'))) return
  execFileSync('pnpm', ['exec', 'tsdown'], { cwd: pkg, stdio: 'inherit' })
}
