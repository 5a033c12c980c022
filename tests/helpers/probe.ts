// The differential check of a conformance case: bundle the project around its target with esbuild,
// run it in Node, and return what the case's probe printed. Both sides of a case run in the same
// folder (the conformance README's "same path" rule), one after the other.
import { execFile } from 'node:child_process'
import { readFileSync, writeFileSync } from 'node:fs'
import { dirname, extname, join } from 'node:path'
import { pathToFileURL } from 'node:url'
import { promisify } from 'node:util'
import { build, type Loader, type Plugin } from 'esbuild'

const run = promisify(execFile)
const RUNTIME = join(import.meta.dirname, 'probe-runtime.mjs')
const ENTRY = '__smart_cache_probe__.mjs'
const OUT = '__smart_cache_probe__.out.mjs'
const MARK = '<<smart-cache-probe>>'
const LOADERS: Record<string, Loader> = {
  '.ts': 'ts',
  '.mts': 'ts',
  '.cts': 'ts',
  '.tsx': 'tsx',
  '.jsx': 'jsx',
  '.js': 'js',
  '.mjs': 'js',
  '.cjs': 'js',
}
/** A CommonJS `require` for the ESM bundle (esbuild's shim throws on a require it did not bundle). */
const BANNER = "import { createRequire as __scCreateRequire } from 'node:module'\nconst require = __scCreateRequire(import.meta.url)\n"

/**
 * Bundling moves every module into one file, so what a module learns of its own location
 * (`import.meta.url|dirname|filename`, `__dirname`, `__filename`) is written into it as it would be
 * unbundled: its own file in the case folder.
 */
function moduleLocation(): Plugin {
  return {
    name: 'smart-cache-probe-location',
    setup(b) {
      b.onLoad({ filter: /\.[cm]?[jt]sx?$/ }, args => {
        const source = readFileSync(args.path, 'utf8')
        if (!/import\.meta|__dirname|__filename/.test(source)) return undefined
        const meta = { url: pathToFileURL(args.path).href, dirname: dirname(args.path), filename: args.path }
        let contents = source.replace(/import\.meta\.(url|dirname|filename)\b/g, (_, k: keyof typeof meta) => JSON.stringify(meta[k]))
        const declares = (name: string) => new RegExp(`\\b(?:var|let|const|function)\\s+${name}\\b`).test(source)
        if (/\b__dirname\b/.test(source) && !declares('__dirname')) contents = `var __dirname = ${JSON.stringify(meta.dirname)};${contents}`
        if (/\b__filename\b/.test(source) && !declares('__filename'))
          contents = `var __filename = ${JSON.stringify(meta.filename)};${contents}`
        return { contents, loader: LOADERS[extname(args.path)] ?? 'js' }
      })
    },
  }
}

/** The entry: the harness runtime first (it may define a global JSX factory), then the target's module. */
function entrySource(file: string, name: string, probe: string): string {
  return [
    `import { call, render, show } from ${JSON.stringify(RUNTIME)}`,
    `import * as mod from ${JSON.stringify(`./${file}`)}`,
    `const probe = (${probe})`,
    `const out = await probe(mod[${JSON.stringify(name)}])`,
    `console.log(${JSON.stringify(MARK)} + JSON.stringify(show(out)))`,
  ].join('\n')
}

/**
 * Bundles `dir` (a case side copied there) around `file#name` and runs `probe` on the export.
 * Returns the probe's string; throws a `[smart-cache]` error when bundling, running or the probe fails.
 */
export async function runProbe(dir: string, file: string, name: string, probe = 'call'): Promise<string> {
  writeFileSync(join(dir, ENTRY), entrySource(file, name, probe))
  await build({
    absWorkingDir: dir,
    entryPoints: [join(dir, ENTRY)],
    outfile: join(dir, OUT),
    bundle: true,
    platform: 'node',
    format: 'esm',
    target: 'node20',
    keepNames: true,
    // Run what Node would run: keep module code that only a direct eval reads.
    treeShaking: false,
    banner: { js: BANNER },
    logLevel: 'silent',
    plugins: [moduleLocation()],
  })
  try {
    const { stdout } = await run(process.execPath, [join(dir, OUT)], { cwd: dir, timeout: 30_000 })
    const line = stdout.split('\n').find(l => l.startsWith(MARK))
    if (line === undefined) throw new Error(`the probe printed nothing; stdout: ${stdout.slice(0, 500)}`)
    return JSON.parse(line.slice(MARK.length)) as string
  } catch (error) {
    const e = error as Error & { stderr?: string }
    throw new Error(`[smart-cache] probe of ${file}#${name} failed: ${e.stderr?.trim() || e.message}`, { cause: error })
  }
}
