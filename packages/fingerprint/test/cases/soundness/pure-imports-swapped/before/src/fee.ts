export const fee = 1
