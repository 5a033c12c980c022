export async function requestTimeout() {
  const { timeout } = await import('./config')
  return `timeout=${timeout}`
}
