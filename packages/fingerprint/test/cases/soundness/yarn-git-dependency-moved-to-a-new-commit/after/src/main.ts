import { slug } from 'slug-kit'

/** The URL path of a post title. */
export function postPath(title: string): string {
  return '/posts/' + slug(title)
}
