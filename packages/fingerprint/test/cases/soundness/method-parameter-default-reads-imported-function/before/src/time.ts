export function now() {
  return 1000
}
