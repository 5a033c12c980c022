// Generates the two apps of the plugin benchmark (issue 4) under bench/.tmp/.
import { cpSync, mkdirSync, readFileSync, realpathSync, rmSync, symlinkSync, writeFileSync } from 'node:fs'
import { dirname, join } from 'node:path'
import { fileURLToPath } from 'node:url'

const here = dirname(fileURLToPath(import.meta.url))
const runtimePackage = join(here, '../packages/smart-cache')

/**
 * Installs `smart-cache` in the app as a package manager would: its package.json and dist/ under
 * node_modules/smart-cache, its dependencies linked beside it (pnpm's layout). A user's app gets
 * it from npm, so the engine counts it by name@version; through the monorepo's workspace link it
 * would fingerprint the runtime's own source in every cached function.
 */
function installRuntime(root) {
  const dir = join(root, 'node_modules/smart-cache')
  cpSync(join(runtimePackage, 'package.json'), join(dir, 'package.json'))
  cpSync(join(runtimePackage, 'dist'), join(dir, 'dist'), { recursive: true })
  const { dependencies = {} } = JSON.parse(readFileSync(join(runtimePackage, 'package.json'), 'utf8'))
  for (const name of Object.keys(dependencies)) {
    const link = join(dir, 'node_modules', name)
    mkdirSync(dirname(link), { recursive: true })
    symlinkSync(realpathSync(join(runtimePackage, 'node_modules', name)), link, 'dir')
  }
}

function write(root, files) {
  for (const [rel, content] of Object.entries(files)) {
    const file = join(root, rel)
    mkdirSync(dirname(file), { recursive: true })
    writeFileSync(file, content)
  }
}

/** (a) imports all of date-fns and caches 20 functions that reach deep into it. */
export function dateFnsApp() {
  const root = join(here, '.tmp/plugin-date-fns')
  rmSync(root, { recursive: true, force: true })
  const uses = [
    "format(addDays(d, n), 'yyyy-MM-dd')",
    'formatDistanceStrict(d, addMonths(d, n))',
    'differenceInBusinessDays(addYears(d, n), d)',
    'eachWeekOfInterval({ start: d, end: addWeeks(d, n) }).length',
    'formatISO(startOfISOWeek(addDays(d, n)))',
    'intervalToDuration({ start: d, end: addHours(d, n) })',
    'formatRelative(addDays(d, n), d)',
    'getISOWeeksInYear(addYears(d, n))',
    "format(parseISO('2020-02-29'), 'PPPPpppp')",
    'nextFriday(addDays(d, n)).toISOString()',
    "eachDayOfInterval({ start: d, end: addDays(d, n) }).map(x => format(x, 'EEE')).join()",
    'formatDuration({ months: n, days: n })',
    'roundToNearestMinutes(addMinutes(d, n)).getTime()',
    'lastDayOfQuarter(addQuarters(d, n)).getTime()',
    "isValid(parse('02/11/2014', 'MM/dd/yyyy', d))",
    'closestTo(d, [addDays(d, n), subDays(d, n + 1)])?.getTime()',
    'getWeekOfMonth(addDays(d, n))',
    'areIntervalsOverlapping({ start: d, end: addDays(d, n) }, { start: addDays(d, 1), end: addDays(d, 2) })',
    'differenceInCalendarISOWeekYears(addYears(d, n), d)',
    'milliseconds({ years: n, months: 2 })',
  ]
  const names = new Set(uses.join(' ').match(/\b[a-z][A-Za-z]+(?=\()/g))
  names.delete('map')
  names.delete('join')
  names.delete('toISOString')
  names.delete('getTime')
  const fns = uses
    .map((u, i) => `export const f${i} = smartCache(async (n) => { const d = new Date(Date.UTC(2024, 0, 1)); return ${u} })`)
    .join('\n')
  write(root, {
    'package.json': JSON.stringify({ name: 'bench-plugin-date-fns', private: true, type: 'module' }),
    'index.html': '<!doctype html><script type="module" src="/src/main.js"></script>\n',
    'src/cached.js': `import { smartCache } from 'smart-cache'\nimport { ${[...names].sort().join(', ')} } from 'date-fns'\n${fns}\n`,
    'targets.json': JSON.stringify(uses.map((_, i) => ['src/cached.js', `f${i}`])),
    'src/main.js': `import * as all from 'date-fns'\nimport * as cached from './cached.js'\nconsole.log(Object.keys(all).length, Object.keys(cached).length)\nfor (const f of Object.values(cached)) f(3).then(v => console.log(v))\n`,
  })
  installRuntime(root)
  return root
}

/** (b) a generated 5,000-module app with 50 cached functions reaching into a module tree. */
export function generatedApp(modules = 5000, cached = 50) {
  const root = join(here, '.tmp/plugin-5000')
  rmSync(root, { recursive: true, force: true })
  const files = {
    'package.json': JSON.stringify({ name: 'bench-plugin-5000', private: true, type: 'module' }),
    'index.html': '<!doctype html><script type="module" src="/src/main.js"></script>\n',
  }
  const moduleCount = modules - cached - 1
  for (let i = 0; i < moduleCount; i++) {
    const kids = [2 * i + 1, 2 * i + 2].filter(k => k < moduleCount)
    const imports = kids.map(k => `import { f${k} } from './m${k}.js'`).join('\n')
    const body = kids.length ? kids.map(k => `f${k}(x + ${i % 7})`).join(' + ') : `x * ${i % 13}`
    files[`src/m/m${i}.js`] =
      `${imports}\n// module ${i}\nexport function f${i}(x) {\n  const y = ${body}\n  return y % 1000003\n}\nexport const label${i} = 'm${i}'\n`
  }
  const cachedImports = []
  for (let c = 0; c < cached; c++) {
    const target = (c * 37) % Math.min(moduleCount, 200)
    files[`src/cached/c${c}.js`] =
      `import { smartCache } from 'smart-cache'\nimport { f${target} } from '../m/m${target}.js'\n\nexport const c${c} = smartCache(async (x) => f${target}(x + ${c}))\n`
    cachedImports.push(`import { c${c} } from './cached/c${c}.js'`)
  }
  const leaves = Array.from({ length: moduleCount }, (_, i) => i).filter(i => 2 * i + 1 >= moduleCount)
  files['src/main.js'] =
    `${cachedImports.join('\n')}\nimport { f0 } from './m/m0.js'\n${leaves.map(i => `import { label${i} } from './m/m${i}.js'`).join('\n')}\n` +
    `console.log(f0(1), [${leaves.map(i => `label${i}`).join(', ')}].length)\n` +
    `Promise.all([${Array.from({ length: cached }, (_, c) => `c${c}(1)`).join(', ')}]).then(v => console.log(v.length))\n`
  write(root, files)
  installRuntime(root)
  return root
}

/** A seeded pseudo-random generator (mulberry32): the same app on every machine. */
function random(seed) {
  let a = seed >>> 0
  return () => {
    a = (a + 0x6d2b79f5) >>> 0
    let t = a
    t = Math.imul(t ^ (t >>> 15), t | 1)
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61)
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296
  }
}

/**
 * (c) a random import DAG of `modules` modules (issue 14): module i imports module i + 1 and one
 * to three random later modules, and its function calls theirs, so the cached functions (each
 * calling one of the first 100 modules) reach nearly the whole app, as a real app's entry points
 * do. Modules hold a function, a class, a constant table and types-free helpers of a few lines.
 */
export function dagApp(modules = 5000, cached = 50) {
  const root = join(here, `.tmp/plugin-dag-${modules}`)
  rmSync(root, { recursive: true, force: true })
  const next = random(modules)
  const files = {
    'package.json': JSON.stringify({ name: `bench-plugin-dag-${modules}`, private: true, type: 'module' }),
    'index.html': '<!doctype html><script type="module" src="/src/main.js"></script>\n',
  }
  const count = modules - cached - 1
  for (let i = 0; i < count; i++) {
    const kids = new Set(i + 1 < count ? [i + 1] : [])
    const extra = 1 + Math.floor(next() * 3)
    for (let k = 0; k < extra; k++) {
      const j = i + 2 + Math.floor(next() * 300)
      if (j < count) kids.add(j)
    }
    const list = [...kids].sort((x, y) => x - y)
    const imports = list.map(k => `import { f${k}, K${k} } from './m${k}.js'`).join('\n')
    const calls = list.map(k => `f${k}(x + ${i % 7}, depth - 1)`).join(' + ')
    const body = list.length ? `depth > 0 ? ${calls} : x * ${i % 13}` : `x * ${i % 13}`
    files[`src/m/m${i}.js`] = `${imports}
// module ${i}: a function, a class and a table, as a small real module has
const TABLE${i} = [${i % 5}, ${i % 11}, ${i % 17}, ${i % 23}]

function scale${i}(v) {
  return v * TABLE${i}[v & 3] + ${i % 29}
}

export class K${i} {
  constructor(seed) { this.seed = seed }
  value() { return scale${i}(this.seed)${list.length ? ` + new K${list[0]}(this.seed).value()` : ''} }
}

export function f${i}(x, depth = 3) {
  const y = ${body}
  return scale${i}(y) % 1000003
}

export const label${i} = 'm${i}'
`
  }
  const cachedImports = []
  for (let c = 0; c < cached; c++) {
    const target = Math.floor(next() * Math.min(count, 100))
    files[`src/cached/c${c}.js`] =
      `import { smartCache } from 'smart-cache'\nimport { f${target} } from '../m/m${target}.js'\n\nexport const c${c} = smartCache(async (x) => f${target}(x + ${c}))\n`
    cachedImports.push(`import { c${c} } from './cached/c${c}.js'`)
  }
  files['targets.json'] = JSON.stringify(Array.from({ length: cached }, (_, c) => [`src/cached/c${c}.js`, `c${c}`]))
  files['src/main.js'] =
    `${cachedImports.join('\n')}\nimport { f0, label0 } from './m/m0.js'\n` +
    `console.log(f0(1, 2), label0)\n` +
    `Promise.all([${Array.from({ length: cached }, (_, c) => `c${c}(1)`).join(', ')}]).then(v => console.log(v.length))\n`
  write(root, files)
  installRuntime(root)
  return root
}

/**
 * Edits one source file of a DAG app in place, as a developer's change between two builds, and
 * returns the function that restores it. `reached`: a module in the middle of the DAG, reached
 * by every cached function, whose function then returns another value; else src/main.js, which no
 * cached function reaches (only the page's own code changes). Each call edits another module (or
 * main.js with another value): a counter kept beside the app, so that every round really edits.
 */
export function editApp(root, reached = true) {
  const counter = join(root, 'edits.json')
  let n = 0
  try {
    n = JSON.parse(readFileSync(counter, 'utf8'))
  } catch {}
  writeFileSync(counter, JSON.stringify(n + 1))
  const file = join(root, reached ? `src/m/m${1000 + ((n * 137) % 2000)}.js` : 'src/main.js')
  const before = readFileSync(file, 'utf8')
  const after = reached
    ? before.replace(/% 1000003\n/, `% ${1000003 + 2 * (n + 1)}\n`)
    : before.replace(/f0\(1, 2\)/, `f0(1, ${3 + (n % 1000)})`)
  if (after === before) throw new Error(`[smart-cache] bench: nothing to edit in ${file}`)
  writeFileSync(file, after)
  return () => writeFileSync(file, before)
}
