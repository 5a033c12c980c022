const options = { retries: 1, backoffMs: 100 }

export function configure(next: Partial<typeof options>) {
  Object.assign(options, next)
}

export function schedule(): number[] {
  return Array.from({ length: options.retries }, (_, i) => options.backoffMs * 2 ** i)
}
