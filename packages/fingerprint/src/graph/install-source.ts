// Where an installed package came from, when its package.json version does not say what its code
// is: a git commit, a tarball, a local folder (npm's hidden lockfile, Yarn's state file, pnpm's
// store folder names). Registry packages are immutable per version and get
// nothing here (their identity stays `name@version`).
import { type Dirent, readdirSync, readFileSync } from 'node:fs'
import { dirname, join, relative, sep } from 'node:path'
import { blake3 } from '../hash.ts'
import { hashBytes } from '../store/files.ts'

/** An npm hidden-lockfile entry (`node_modules/.package-lock.json`): where one installed path came from. */
interface NpmEntry {
  resolved?: string
  integrity?: string
  link?: boolean
}

/** A registry tarball (`…/name/-/name-1.2.3.tgz`), whose version is its content. */
const REGISTRY_TARBALL = /^https?:\/\/.*\/-\/[^/]+\.tgz$/

/** A git source's commit (`git+ssh://…/repo.git#<sha>`). */
const GIT_COMMIT = /^git\+.*#([0-9a-f]{40})$/

/** pnpm's store folder of a package (`node_modules/.pnpm/<name>@<version or source>/node_modules/<name>`): the part after the name's `@`. */
const PNPM_STORE_FOLDER = /[\\/]node_modules[\\/]\.pnpm[\\/](?:@[^\\/+]+\+)?[^\\/@]+@([^\\/]+)[\\/]node_modules[\\/]/

/** A file that records, by install location (`node_modules/a/node_modules/b`), what was installed there. */
type InstallRecord<T> = Map<string, T>

export class InstallSources {
  /** Install records read, by file (`undefined`: missing or unreadable). */
  private records = new Map<string, InstallRecord<unknown> | undefined>()

  clear(): void {
    this.records.clear()
  }

  /**
   * What, beside `name@version`, identifies the package installed in `dir` (its real folder): a
   * git commit or tarball integrity from npm's hidden lockfile or Yarn's state file, or the content
   * of its files when pnpm's store folder (or the record) names a source that is not a registry
   * version (git, tarball, `file:`). Every file read is added to `files`. '' for a registry package.
   */
  of(dir: string, files: Set<string>): string {
    const pnpm = PNPM_STORE_FOLDER.exec(dir)
    if (pnpm) return /^\d/.test(pnpm[1]!) ? '' : contentOf(dir, files)
    const npm = this.recordOf<NpmEntry>(dir, '.package-lock.json', npmEntries)
    if (npm) return npmSource(npm.entry, npm.file, dir, files)
    const yarn = this.recordOf<string>(dir, '.yarn-state.yml', yarnLocations)
    return yarn ? yarnSource(yarn.entry, yarn.file, dir, files) : ''
  }

  /**
   * The entry for `dir` in the record `name` of the install that holds it: the `node_modules/<name>`
   * file of the folder above its outermost `node_modules`, or of a folder above that (a workspace root).
   */
  private recordOf<T>(dir: string, name: string, parse: (text: string) => InstallRecord<T>): { entry: T; file: string } | undefined {
    const first = dir.indexOf(`${sep}node_modules${sep}`)
    if (first < 0) return undefined
    for (let root = dir.slice(0, first); ; root = dirname(root)) {
      const file = join(root, 'node_modules', name)
      const entry = this.record(file, parse)?.get(relative(root, dir).split(sep).join('/'))
      if (entry !== undefined) return { entry, file }
      if (dirname(root) === root) return undefined
    }
  }

  private record<T>(file: string, parse: (text: string) => InstallRecord<T>): InstallRecord<T> | undefined {
    if (!this.records.has(file)) {
      let record: InstallRecord<T> | undefined
      try {
        record = parse(readFileSync(file, 'utf8'))
      } catch {
        record = undefined
      }
      this.records.set(file, record)
    }
    return this.records.get(file) as InstallRecord<T> | undefined
  }
}

/** npm's hidden lockfile by install location. */
function npmEntries(text: string): InstallRecord<NpmEntry> {
  const lock = JSON.parse(text) as { packages?: Record<string, NpmEntry> }
  return new Map(Object.entries(lock.packages ?? {}))
}

/** What npm's entry says of the package at `dir`: nothing for the registry or a link, else its commit, integrity or content. */
function npmSource(entry: NpmEntry, file: string, dir: string, files: Set<string>): string {
  if (entry.link || entry.resolved === undefined || REGISTRY_TARBALL.test(entry.resolved)) return ''
  files.add(file)
  const commit = GIT_COMMIT.exec(entry.resolved)?.[1]
  if (commit) return ` git:${commit}`
  return entry.integrity ? ` integrity:${entry.integrity}` : contentOf(dir, files)
}

/** What Yarn's locator says of the package at `dir`: nothing for `name@npm:1.2.3`, else its commit or content. */
function yarnSource(locator: string, file: string, dir: string, files: Set<string>): string {
  if (/^(?:@[^@/]+\/)?[^@]+@npm:/.test(locator)) return ''
  files.add(file)
  const commit = /#commit=([0-9a-f]{40})/.exec(locator)?.[1]
  return commit ? ` git:${commit}` : contentOf(dir, files)
}

/**
 * The locations of Yarn's state file: a top-level `"<locator>":` key, then its `locations:` list
 * (`    - "node_modules/x"`). Only what this reads of the format; anything else is skipped.
 */
function yarnLocations(text: string): InstallRecord<string> {
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
