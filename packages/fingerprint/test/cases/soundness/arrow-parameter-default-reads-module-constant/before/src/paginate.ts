const PAGE_SIZE = 10

export const paginate = (total: number, size = PAGE_SIZE) => {
  const PAGE_SIZE = Math.max(size, 1)
  return Math.ceil(total / PAGE_SIZE)
}
