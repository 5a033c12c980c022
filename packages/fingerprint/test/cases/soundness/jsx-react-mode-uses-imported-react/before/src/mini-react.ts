function createElement(type: unknown, props: Record<string, unknown> | null, ...children: unknown[]) {
  return { type, props: { ...props, children: children.length === 1 ? children[0] : children } }
}

export default { createElement, Fragment: Symbol.for('react.fragment') }
