export const double = (x: number) => {
  return x * 2
}
