export function resolveOptions(input: { retries?: number, verbose?: boolean }) {
  const { retries = 3, verbose = false } = input
  return `${retries}:${verbose}`
}
