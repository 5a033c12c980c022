import parseBytes from 'bytes'
import parseMs from 'ms'
import { CliError } from './errors.ts'

/**
 * A duration like `7d`, `12h`, `30m`, `1.5h` (units of `ms`: ms, s, m, h, d, w, y) in milliseconds.
 * A bare number is rejected: it is too easy to mean days and get milliseconds.
 */
export function parseDuration(text: unknown, flag: string): number {
  const raw = String(text ?? '').trim()
  const value = /^\d+(?:\.\d+)?\s*[a-z]+$/i.test(raw) ? parseMs(raw as parseMs.StringValue) : undefined
  if (typeof value !== 'number' || !Number.isFinite(value) || value <= 0) {
    throw new CliError(
      `${flag} '${raw}' is not a duration. Fix: give a number and a unit, e.g. ${flag} 7d, 12h, 30m (units ms, s, m, h, d, w, y).`,
    )
  }
  return value
}

/** A size like `500MB`, `2GB`, `64kb` in bytes (1 KB = 1024 B, as `bytes` parses). A bare number means bytes. */
export function parseSize(text: unknown, flag: string): number {
  const raw = String(text ?? '').trim()
  const value = /^\d+(?:\.\d+)?\s*(?:b|kb|mb|gb|tb|pb)?$/i.test(raw) ? parseBytes.parse(raw) : null
  if (typeof value !== 'number' || !Number.isFinite(value) || value < 0) {
    throw new CliError(
      `${flag} '${raw}' is not a size. Fix: give a number and a unit, e.g. ${flag} 500MB, 2GB, 64KB (units B, KB, MB, GB, TB).`,
    )
  }
  return value
}

/** `1.2 MB` style (binary units, like the parser). */
export function formatSize(n: number): string {
  return parseBytes.format(n, { unitSeparator: ' ', decimalPlaces: 1 }) ?? `${n} B`
}

/** `3m ago`, `2d ago`, `never` (0). */
export function formatAgo(time: number, now: number = Date.now()): string {
  if (!time) return 'never'
  const delta = Math.max(0, now - time)
  return delta < 1000 ? 'just now' : `${parseMs(delta)} ago`
}

/** `1 entry`, `2 entries`; with `width`, the number is padded to it. */
export function entries(n: number, width = 0): string {
  return `${String(n).padStart(width)} ${n === 1 ? 'entry' : 'entries'}`
}
