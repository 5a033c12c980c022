import 'array-last-polyfill'

export function latestOf(entries: string[]) {
  return (entries as any).last()
}
