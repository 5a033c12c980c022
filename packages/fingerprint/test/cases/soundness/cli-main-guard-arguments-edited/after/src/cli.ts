import { pathToFileURL } from 'node:url'

export function summarize(args: string[]) {
  const xs = args.map(Number)
  return `n=${xs.length} sum=${xs.reduce((a, b) => a + b, 0)}`
}

if (import.meta.url === pathToFileURL(process.argv[1] ?? '').href) {
  const started = Date.now()
  console.error(summarize(process.argv.slice(2)), `(${Date.now() - started} ms)`)
  process.exitCode = 0
}
