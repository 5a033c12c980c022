export function parseHeader(line: string) {
  let result = { ok: false, key: '', value: '' }
  done: {
    const i = line.indexOf(':')
    if (i < 0) break done
    result = { ok: true, key: line.slice(0, i).trim().toLowerCase(), value: line.slice(i + 1).trim() }
  }
  return result
}
