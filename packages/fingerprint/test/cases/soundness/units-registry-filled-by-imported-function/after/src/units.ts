const units = new Map<string, number>([['m', 1], ['km', 1000]])

export function defineUnit(name: string, metres: number) {
  units.set(name, metres)
}

export function toMetres(value: number, unit: string) {
  const factor = units.get(unit)
  if (factor === undefined) throw new Error(`unknown unit ${unit}`)
  return value * factor
}
