export function firstNegative(grid: number[][]) {
  let found: [number, number] | null = null
  scan: for (let r = 0; r < grid.length; r++) {
    for (let c = 0; c < grid[r]!.length; c++) {
      if (grid[r]![c]! === 0) continue scan
      if (grid[r]![c]! < 0) { found = [r, c]; break scan }
    }
  }
  return found
}
