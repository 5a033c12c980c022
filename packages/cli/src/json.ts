/**
 * `JSON.stringify` without recursion (compact), for trees as deep as the code they describe:
 * explaining the head of a 5,000-module import chain gives a 5,000-deep tree.
 */
export function stringifyDeep(value: unknown): string {
  const out: string[] = []
  const stack: unknown[] = [value]
  const RAW = Symbol('raw')
  while (stack.length > 0) {
    const v = stack.pop()
    if (typeof v === 'object' && v !== null && (v as { [RAW]?: string })[RAW] !== undefined) {
      out.push((v as { [RAW]: string })[RAW])
      continue
    }
    if (v === null || typeof v !== 'object') {
      out.push(JSON.stringify(v) ?? 'null')
      continue
    }
    const parts: unknown[] = []
    if (Array.isArray(v)) {
      parts.push({ [RAW]: '[' })
      v.forEach((item, i) => parts.push(...(i > 0 ? [{ [RAW]: ',' }] : []), item === undefined ? null : item))
      parts.push({ [RAW]: ']' })
    } else {
      parts.push({ [RAW]: '{' })
      const entries = Object.entries(v).filter(([, x]) => x !== undefined && typeof x !== 'function')
      entries.forEach(([k, x], i) => parts.push({ [RAW]: `${i > 0 ? ',' : ''}${JSON.stringify(k)}:` }, x))
      parts.push({ [RAW]: '}' })
    }
    for (let i = parts.length - 1; i >= 0; i--) stack.push(parts[i])
  }
  return out.join('')
}
