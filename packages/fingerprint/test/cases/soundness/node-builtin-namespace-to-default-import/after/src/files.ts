import path from 'node:path'

export function outputPath(input: string) {
  return path.join('dist', path.basename(input, path.extname(input)) + '.html')
}
