// The files a pattern load matches, listed as the bundler lists them: `import()` / `require()` of a
// computed specifier (`./locales/${lang}.json`), Vite's `import.meta.glob` (with picomatch, as
// Vite's tinyglobby), webpack's `require.context`. Every folder is passed to `note` before it is
// read, so a file added or removed there invalidates what depends on the listing.
import { type Dirent, readdirSync, statSync } from 'node:fs'
import { dirname, join, relative, resolve } from 'node:path'
import picomatch from 'picomatch'
import type { FileGlob } from '../analyze/analysis-types.ts'

/** The most entries a pattern's folder tree may hold: past it, what reaches the pattern is uncacheable. */
const MAX_PATTERN_ENTRIES = 5000

/** A file a pattern matches (absolute), and the query its load appends (`?raw`). */
export interface Matched {
  abs: string
  query: string
}

/**
 * The files under `folder` (paths relative to it, `/`-separated, sorted), each folder passed to
 * `note` before it is read, subfolders unless `recursive` is false, none named by `skip`; or why
 * they cannot be known (too many, a linked folder, unreadable).
 */
function listFiles(folder: string, note: (dir: string) => void, recursive = true, skip?: (name: string) => boolean): string[] | string {
  const files: string[] = []
  const stack = ['']
  let entries = 0
  while (stack.length > 0) {
    const sub = stack.pop()!
    const dir = sub === '' ? folder : join(folder, sub)
    note(dir)
    let list: Dirent[]
    try {
      list = readdirSync(dir, { withFileTypes: true })
    } catch (error) {
      if (sub === '' && (error as NodeJS.ErrnoException).code === 'ENOENT') return files
      return `its folder ${sub || '.'} cannot be read (${(error as NodeJS.ErrnoException).code ?? 'error'})`
    }
    entries += list.length
    if (entries > MAX_PATTERN_ENTRIES)
      return `its folder holds more than ${MAX_PATTERN_ENTRIES} entries (name the files with string literal specifiers, or pass the loaded data as an argument)`
    for (const e of list) {
      const rel = sub === '' ? e.name : `${sub}/${e.name}`
      const isFolder = e.isDirectory() || (e.isSymbolicLink() && statSync(join(dir, e.name), { throwIfNoEntry: false })?.isDirectory())
      if (!isFolder) files.push(rel)
      else if (!recursive || skip?.(e.name)) continue
      else if (e.isSymbolicLink())
        return `${rel} is a linked folder, whose files are not followed (name the files with string literal specifiers)`
      else stack.push(rel)
    }
  }
  return files.sort()
}

/** TypeScript's sources of a JavaScript extension: `./x.js` in a specifier may load `x.ts` (TypeScript's own rule, and tsx's). */
const TS_SOURCES: Record<string, string> = {
  '.js': '(?:\\.js|\\.tsx?)',
  '.jsx': '(?:\\.jsx|\\.tsx)',
  '.mjs': '(?:\\.mjs|\\.mts)',
  '.cjs': '(?:\\.cjs|\\.cts)',
}

/** What a pattern's static parts match (relative to its folder): each value any text, `/` included. */
function patternRegExp(parts: string[]): RegExp {
  const last = parts[parts.length - 1]!
  const ext = /\.[cm]?jsx?$/.exec(last)?.[0]
  const tail = ext ? `${escapeRegExp(last.slice(0, -ext.length))}${TS_SOURCES[ext]}` : escapeRegExp(last)
  return new RegExp(`^${[...parts.slice(0, -1).map(escapeRegExp), tail].join('.*')}$`, 's')
}

/** `s` matched literally in a regular expression. */
const escapeRegExp = (s: string): string => s.replace(/[.*+?^${}()|[\]\\]/g, '\\$&')

/**
 * The files `import()` / `require()` of a computed specifier may load (`parts`: its static parts,
 * `./locales/` … `.json`): every file under its folder that it matches, as bundlers include them
 * (a value may hold `/`: subfolders count).
 */
function specifierMatches(from: string, parts: string[], note: (dir: string) => void): Matched[] | string {
  const first = parts[0]!
  const cut = first.lastIndexOf('/') + 1
  const folder = resolve(dirname(from), first.slice(0, cut))
  const files = listFiles(folder, note)
  if (typeof files === 'string') return files
  const match = patternRegExp([first.slice(cut), ...parts.slice(1)])
  return files.filter(f => match.test(f)).map(f => ({ abs: join(folder, f), query: '' }))
}

/**
 * The files a Vite glob matches: its globs relative to the module's folder (or to `base`), `!`
 * globs excluded, the module itself left out, `node_modules` and dot files only when
 * `exhaustive`. Vite matches with tinyglobby, which matches with picomatch: the same options here.
 * Exclusions are matched without dot files, so a doubt keeps a file in (more invalidation, never less).
 */
function viteGlobMatches(from: string, glob: Extract<FileGlob, { glob: string[] }>, note: (dir: string) => void): Matched[] | string {
  const cwd = resolve(dirname(from), glob.base ?? '.')
  const positive = glob.glob.filter(g => !g.startsWith('!'))
  const negative = glob.glob.filter(g => g.startsWith('!')).map(g => g.slice(1))
  const isMatch = picomatch(positive, { dot: glob.exhaustive, nocase: !glob.caseSensitive })
  const isExcluded = negative.length > 0 ? picomatch(negative) : () => false
  const skip = glob.exhaustive ? undefined : (name: string) => name === 'node_modules'
  const found = new Set<string>()
  for (const folder of new Set(positive.map(g => resolve(cwd, picomatch.scan(g).base)))) {
    const files = listFiles(folder, note, true, skip)
    if (typeof files === 'string') return files
    for (const f of files) {
      const abs = join(folder, f)
      const rel = relative(cwd, abs).split('\\').join('/')
      if (abs !== from && isMatch(rel) && !isExcluded(rel)) found.add(abs)
    }
  }
  return [...found].sort().map(abs => ({ abs, query: glob.query }))
}

/** The files a webpack context matches: under its folder (subfolders when `recursive`), `regExp` tested on `./path`. */
function contextMatches(from: string, glob: Extract<FileGlob, { context: string }>, note: (dir: string) => void): Matched[] | string {
  const folder = resolve(dirname(from), glob.context)
  const files = listFiles(folder, note, glob.recursive)
  if (typeof files === 'string') return files
  const [pattern, flags] = glob.regExp
  return files.filter(f => new RegExp(pattern, flags).test(`./${f}`)).map(f => ({ abs: join(folder, f), query: '' }))
}

/** The files a pattern load of module `from` matches, or why they cannot be listed. */
export function patternMatches(from: string, pattern: string[] | FileGlob, note: (dir: string) => void): Matched[] | string {
  if (Array.isArray(pattern)) return specifierMatches(from, pattern, note)
  return 'glob' in pattern ? viteGlobMatches(from, pattern, note) : contextMatches(from, pattern, note)
}

/** What a pattern load's node is called in `explain` (`(files ./l/*.json)`). */
export function patternBinding(pattern: string[] | FileGlob): string {
  if (Array.isArray(pattern)) return `(files ${pattern.join('*')})`
  return `(files ${'glob' in pattern ? pattern.glob.join(' ') : pattern.context})`
}

/** How a pattern load reads in messages: `import()` of './l/*.json', `import.meta.glob('./posts/*.md')`, `require.context('./icons')`. */
export function describePattern(kind: 'i' | 'r', pattern: string[] | FileGlob): string {
  if (Array.isArray(pattern)) return `${kind === 'i' ? 'import()' : 'require()'} of '${pattern.join('*')}'`
  if ('glob' in pattern) return `import.meta.glob(${pattern.glob.map(g => `'${g}'`).join(', ')})`
  return `${kind === 'r' ? 'require.context' : 'import.meta.webpackContext'}('${pattern.context}')`
}

/** A file's specifier from module `from` (`./x`, `../x`), with `/`. */
export function relativeSpecifier(from: string, abs: string): string {
  const spec = relative(dirname(from), abs).split('\\').join('/')
  return spec.startsWith('../') ? spec : `./${spec}`
}
