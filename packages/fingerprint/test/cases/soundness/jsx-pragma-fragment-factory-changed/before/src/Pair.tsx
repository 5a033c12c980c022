/** @jsx h */
/** @jsxFrag Fragment */
import { Fragment, h } from './dom'

export function Pair({ a, b }: { a: string, b: string }) {
  return <><dt>{a}</dt><dd>{b}</dd></>
}
