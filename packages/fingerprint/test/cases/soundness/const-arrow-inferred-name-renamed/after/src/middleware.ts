const lowercasePath = (req: { path: string }) => ({ ...req, path: req.path.toLowerCase() })
const trimSlash = function (req: { path: string }) { return { ...req, path: req.path.replace(/\/$/, '') } }

const stack = [lowercasePath, trimSlash]

export function describeStack() {
  return stack.map(fn => fn.name || '<anonymous>').join(' -> ')
}
