const warmed = new Set<string>()
warmed.add('en-GB')
warmed.add('fr-FR')

export function price(n: number) {
  return `$${n.toFixed(2)}`
}
