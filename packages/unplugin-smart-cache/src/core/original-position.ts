import type { OriginalPosition } from './foreign.js'
import { decode } from '@jridgewell/sourcemap-codec'

/**
 * Positions in the file on disk of places in a transformed module's code, read from the source map
 * of the transforms before (`getMap`, called once, when the first position is asked for); `undefined`
 * for a place the map does not cover, or without a map.
 */
export function originalPositions(getMap: () => { mappings?: string } | null | undefined): OriginalPosition {
  let lines: ReturnType<typeof decode> | undefined
  return (line, column) => {
    if (!lines) {
      let mappings = ''
      try {
        mappings = getMap()?.mappings ?? ''
      } catch {} // no map: the caller names the place in the transformed code
      lines = decode(mappings)
    }
    let found: number[] | undefined
    for (const segment of lines[line - 1] ?? []) {
      if (segment[0]! > column) break
      if (segment.length >= 4) found = segment
    }
    return found ? { line: found[2]! + 1, column: found[3]! } : undefined
  }
}
