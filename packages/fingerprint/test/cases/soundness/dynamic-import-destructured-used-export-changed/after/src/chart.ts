export async function axisLabels(values: number[]) {
  const { formatNumber: fmt } = await import('./format')
  return values.map(v => fmt(v))
}
