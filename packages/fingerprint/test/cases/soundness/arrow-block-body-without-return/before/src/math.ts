export const double = (x: number) => x * 2
