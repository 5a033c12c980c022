export function slugs(titles: string[]) {
  return titles.map(t => t.trim().toLowerCase().split(/\s+/).join('-'))
}
