import type { ReactNode } from './types'

function animated(tag: string) {
  return function Animated(props: { animate?: Record<string, number>, children?: ReactNode }) {
    const style = Object.entries(props.animate ?? {}).map(([k, v]) => `${k}:${v}`).join(';')
    return <div data-tag={tag} data-motion={style}>{props.children}</div>
  }
}

export const motion = { div: animated('div'), span: animated('span') }
