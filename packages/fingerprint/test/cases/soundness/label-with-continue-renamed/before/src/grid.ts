export function firstNegative(grid: number[][]) {
  let found: [number, number] | null = null
  rows: for (let r = 0; r < grid.length; r++) {
    for (let c = 0; c < grid[r]!.length; c++) {
      if (grid[r]![c]! === 0) continue rows
      if (grid[r]![c]! < 0) { found = [r, c]; break rows }
    }
  }
  return found
}
