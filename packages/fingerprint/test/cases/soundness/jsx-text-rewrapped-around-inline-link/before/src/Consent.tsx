export function Consent() {
  return <p>By signing up you agree to our <a href="/terms">terms of service</a> and the way we process your data.</p>
}
