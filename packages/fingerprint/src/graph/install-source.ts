// Where an installed package came from, when its package.json version does not say what its code
// is: a git commit, a tarball, a local folder (npm's hidden lockfile, Yarn's state file, pnpm's
// store folder names). Registry packages are immutable per version and get
// nothing here (their identity stays `name@version`).
import { type Dirent, readdirSync, readFileSync } from 'node:fs'
import { dirname, join, relative, sep } from 'node:path'
import { blake3 } from '../hash.ts'
import { hashBytes } from '../store/files.ts'

/** npm's hidden lockfile (`node_modules/.package-lock.json`): each installed path's source. */
interface HiddenLockfile {
  packages?: Record<string, { resolved?: string; integrity?: string; link?: boolean }>
}

/** A registry tarball (`…/name/-/name-1.2.3.tgz`), whose version is its content. */
const REGISTRY_TARBALL = /^https?:\/\/.*\/-\/[^/]+\.tgz$/

/** A git source's commit (`git+ssh://…/repo.git#<sha>`). */
const GIT_COMMIT = /^git\+.*#([0-9a-f]{40})$/

/** pnpm's store folder of a package (`node_modules/.pnpm/<name>@<version or source>/node_modules/<name>`): the part after the name's `@`. */
const PNPM_STORE_FOLDER = /[\\/]node_modules[\\/]\.pnpm[\\/](?:@[^\\/+]+\+)?[^\\/@]+@([^\\/]+)[\\/]node_modules[\\/]/

export class InstallSources {
  private lockfiles = new Map<string, HiddenLockfile | undefined>()
  private yarnStates = new Map<string, Map<string, string> | undefined>()

  clear(): void {
    this.lockfiles.clear()
    this.yarnStates.clear()
  }

  /**
   * What, beside `name@version`, identifies the package installed in `dir` (its real folder): a
   * git commit or tarball integrity from npm's hidden lockfile, or the content of its files when
   * pnpm's store folder names a source that is not a registry version (git, tarball, `file:`).
   * Every file read is added to `files`. '' for a registry package.
   */
  of(dir: string, files: Set<string>): string {
    const pnpm = PNPM_STORE_FOLDER.exec(dir)
    if (pnpm) return /^\d/.test(pnpm[1]!) ? '' : contentOf(dir, files)
    return this.npmSource(dir, files) || this.yarnSource(dir, files)
  }

  /** The locator Yarn (2+, `nodeLinker: node-modules`) installed at `dir`, from its `.yarn-state.yml`. */
  private yarnSource(dir: string, files: Set<string>): string {
    const first = dir.indexOf(`${sep}node_modules${sep}`)
    if (first < 0) return ''
    for (let root = dir.slice(0, first); ; root = dirname(root)) {
      const file = join(root, 'node_modules', '.yarn-state.yml')
      const locator = this.yarnState(file)?.get(relative(root, dir).split(sep).join('/'))
      if (locator !== undefined) {
        // `name@npm:1.2.3` is a registry package; a git one names its commit; any other its source only.
        if (/^(?:@[^@/]+\/)?[^@]+@npm:/.test(locator)) return ''
        files.add(file)
        const commit = /#commit=([0-9a-f]{40})/.exec(locator)?.[1]
        return commit ? ` git:${commit}` : contentOf(dir, files)
      }
      if (dirname(root) === root) return ''
    }
  }

  /** `.yarn-state.yml`: each install location (`node_modules/x`) with the locator installed there. */
  private yarnState(file: string): Map<string, string> | undefined {
    if (!this.yarnStates.has(file)) {
      let state: Map<string, string> | undefined
      try {
        state = yarnLocations(readFileSync(file, 'utf8'))
      } catch {
        state = undefined
      }
      this.yarnStates.set(file, state)
    }
    return this.yarnStates.get(file)
  }

  /** The source npm recorded for the package at `dir`, from the hidden lockfile of the install that holds it. */
  private npmSource(dir: string, files: Set<string>): string {
    const first = dir.indexOf(`${sep}node_modules${sep}`)
    if (first < 0) return ''
    for (let root = dir.slice(0, first); ; root = dirname(root)) {
      const file = join(root, 'node_modules', '.package-lock.json')
      const entry = this.lockfile(file)?.packages?.[relative(root, dir).split(sep).join('/')]
      if (entry) {
        if (entry.link || entry.resolved === undefined || REGISTRY_TARBALL.test(entry.resolved)) return ''
        files.add(file)
        const commit = GIT_COMMIT.exec(entry.resolved)?.[1]
        if (commit) return ` git:${commit}`
        return entry.integrity ? ` integrity:${entry.integrity}` : contentOf(dir, files)
      }
      if (dirname(root) === root) return ''
    }
  }

  private lockfile(file: string): HiddenLockfile | undefined {
    if (!this.lockfiles.has(file)) {
      let lock: HiddenLockfile | undefined
      try {
        lock = JSON.parse(readFileSync(file, 'utf8')) as HiddenLockfile
      } catch {
        lock = undefined
      }
      this.lockfiles.set(file, lock)
    }
    return this.lockfiles.get(file)
  }
}

/**
 * The locations of Yarn's state file: a top-level `"<locator>":` key, then its `locations:` list
 * (`    - "node_modules/x"`). Only what this reads of the format; anything else is skipped.
 */
function yarnLocations(text: string): Map<string, string> {
  const out = new Map<string, string>()
  let locator: string | undefined
  for (const line of text.split(/\r?\n/)) {
    const key = /^"?([^\s"#][^"]*?)"?:\s*$/.exec(line)
    if (key) locator = key[1]
    const location = /^\s+-\s+"?([^"]+?)"?\s*$/.exec(line)
    if (location && locator !== undefined) out.set(location[1]!, locator)
  }
  return out
}

/** ` content:<hash>` of the files of the package in `dir` (its node_modules aside), each file read recorded. */
function contentOf(dir: string, files: Set<string>): string {
  const rows: string[] = []
  const stack = [dir]
  while (stack.length > 0) {
    const d = stack.pop()!
    for (const e of readdirEntries(d)) {
      const abs = join(d, e.name)
      if (e.isDirectory()) {
        if (e.name !== 'node_modules') stack.push(abs)
      } else if (e.isFile()) {
        files.add(abs)
        rows.push(`${relative(dir, abs).replaceAll('\\', '/')}\0${hashBytes(abs)}`)
      }
    }
  }
  return ` content:${blake3(rows.sort().join('\n'))}`
}

function readdirEntries(dir: string): Dirent[] {
  try {
    return readdirSync(dir, { withFileTypes: true })
  } catch {
    return []
  }
}
