export function h(type: unknown, props: Record<string, unknown> | null, ...children: unknown[]) {
  return { type, props: { ...props, children } }
}

export function Fragment(props: { children?: unknown }) {
  return { type: 'div', props: { role: 'group', children: props.children } }
}
