import module from 'node:module'

const load = module.createRequire(import.meta.url)
const slugify = load('./legacy/slugify.cjs')

export function toSlug(title) {
  return slugify(title)
}
