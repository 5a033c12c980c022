export const settings = { rate: 1 }
