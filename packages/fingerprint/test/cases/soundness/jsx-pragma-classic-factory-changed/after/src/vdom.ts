export const Fragment = Symbol.for('vdom.fragment')

export function h(type: unknown, props: Record<string, unknown> | null, ...children: unknown[]) {
  return { type, props: { ...props, 'data-h': 1, children } }
}
