export function Consent() {
  return (
    <p>
      Read our <a href="/terms">terms</a> first.
    </p>
  )
}
