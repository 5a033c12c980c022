export function Price({ amount }: { amount: number }) {
  return <b>{amount} € per month</b>
}
