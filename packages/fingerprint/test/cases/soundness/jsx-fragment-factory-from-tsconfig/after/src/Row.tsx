import { Fragment, h } from './dom'

export function Row({ cells }: { cells: string[] }) {
  return <>{cells.map(c => <td>{c}</td>)}</>
}
