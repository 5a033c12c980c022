export const other = 1
export const rate = 2
