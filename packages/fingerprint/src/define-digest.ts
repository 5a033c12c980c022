import { createHash } from 'node:crypto'
import type { DefineDigest } from './types.ts'

/**
 * The digest a `defines` value counts by (SHA-256 of its code): the fingerprint of a function
 * reading `__API_KEY__` depends on the value without holding it, so a build can record it for the
 * CLI (see `toPortableOptions`) without copying the value itself.
 */
export function defineDigest(code: string): string {
  return createHash('sha256').update(`define\n${code}`).digest('hex')
}

/** The digest of a `defines` value, given as its code or already as its digest. */
export function digestOfDefine(value: string | DefineDigest): string {
  return typeof value === 'string' ? defineDigest(value) : value.digest
}
