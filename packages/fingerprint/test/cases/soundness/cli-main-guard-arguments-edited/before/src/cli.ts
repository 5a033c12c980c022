import { pathToFileURL } from 'node:url'

export function summarize(args: string[]) {
  const xs = args.map(Number)
  return `n=${xs.length} sum=${xs.reduce((a, b) => a + b, 0)}`
}

if (import.meta.url === pathToFileURL(process.argv[1] ?? '').href) {
  console.log(summarize(process.argv.slice(2)))
}
