import { execFileSync } from 'node:child_process'
import { existsSync, readdirSync, statSync } from 'node:fs'
import { join } from 'node:path'

/** The CLI is tested as users run it (bin → dist): build it, and the engine, when src is newer. */
export default function setup(): void {
  for (const name of ['fingerprint', 'cli']) {
    const pkg = join(import.meta.dirname, '..', '..', name)
    const built = join(pkg, 'dist', 'index.mjs')
    const newest = Math.max(
      0,
      ...readdirSync(join(pkg, 'src'), { withFileTypes: true, recursive: true })
        .filter(e => e.isFile())
        .map(e => statSync(join(e.parentPath, e.name)).mtimeMs),
    )
    if (existsSync(built) && statSync(built).mtimeMs >= newest) continue
    execFileSync('pnpm', ['exec', 'tsdown'], { cwd: pkg, stdio: 'inherit' })
  }
}
