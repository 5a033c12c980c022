export function resolveOptions(input: { retries?: number, verbose?: boolean }) {
  let { retries = 3, verbose = false } = input
  return `${retries}:${verbose}`
}
