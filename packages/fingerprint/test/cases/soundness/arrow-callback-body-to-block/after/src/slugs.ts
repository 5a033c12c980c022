export function slugs(titles: string[]) {
  return titles.map((t) => {
    return t.trim().toLowerCase().split(/\s+/).join('-')
  })
}
