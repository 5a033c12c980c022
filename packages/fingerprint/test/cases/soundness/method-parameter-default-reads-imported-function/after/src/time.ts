export function now() {
  return 2000
}
