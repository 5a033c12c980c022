export function Price({ amount }: { amount: number }) {
  return <b>{amount}&nbsp;€ per&nbsp;month</b>
}
