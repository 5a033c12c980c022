/** @jsx h */
import { h } from './vdom'

export function List({ items }: { items: string[] }) {
  return <ul>{items.map(i => <li>{i}</li>)}</ul>
}
