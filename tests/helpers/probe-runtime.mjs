// Bundled before each conformance case's target by the differential check (tests/helpers/probe.ts):
// what a probe can use to turn a target's behaviour into one deterministic string.

const ELEMENT = Symbol.for('smart-cache.probe.element')
const FRAGMENT = Symbol.for('smart-cache.probe.fragment')

/** A classic JSX factory for cases that configure none (esbuild's default is React.createElement). */
function createElement(type, props, ...children) {
  return { $$typeof: ELEMENT, type, props: { ...props, children: children.length === 1 ? children[0] : children } }
}
globalThis.React ??= { createElement, Fragment: FRAGMENT }

function escape(text) {
  return String(text).replace(/&/g, '&amp;').replace(/</g, '&lt;').replace(/>/g, '&gt;').replace(/"/g, '&quot;')
}

function isElement(node) {
  return node !== null && typeof node === 'object' && 'type' in node && 'props' in node
}

function attributes(props) {
  return Object.entries(props ?? {})
    .filter(([k, v]) => k !== 'children' && k !== 'key' && v !== undefined && v !== null && v !== false && typeof v !== 'function')
    .map(([k, v]) => (v === true ? ` ${k}` : ` ${k}="${escape(typeof v === 'object' ? JSON.stringify(v) : v)}"`))
    .join('')
}

function isClass(fn) {
  return typeof fn === 'function' && /^class\b/.test(Function.prototype.toString.call(fn))
}

/**
 * Renders a tree of JSX elements of any factory whose elements are `{ type, props }`
 * (React, Preact, the fallback above): function and class components are called, tags printed.
 */
export function render(node) {
  if (node === null || node === undefined || typeof node === 'boolean') return ''
  if (Array.isArray(node)) return node.map(render).join('')
  if (!isElement(node)) return typeof node === 'object' ? show(node) : escape(node)
  const { type, props } = node
  const children = props?.children ?? node.children
  if (isClass(type)) return render(new type(props).render())
  if (typeof type === 'function') return render(type(props ?? {}))
  if (typeof type !== 'string') return render(children)
  return `<${type}${attributes(props)}>${render(children)}</${type}>`
}

function replacer(_key, value) {
  if (typeof value === 'function') return `[${isClass(value) ? 'class' : 'function'} ${value.name}]`
  if (typeof value === 'bigint') return `${value}n`
  if (typeof value === 'symbol') return value.toString()
  if (value === undefined) return '[undefined]'
  if (value instanceof Map) return { Map: [...value] }
  if (value instanceof Set) return { Set: [...value] }
  if (value instanceof Error) return `${value.name}: ${value.message}`
  return value
}

/** A value as one string: strings as they are, anything else as JSON (functions by kind and name). */
export function show(value) {
  if (typeof value === 'string') return value
  return JSON.stringify(value, replacer) ?? String(value)
}

/** The default probe: calls a function with no argument, instantiates a class, shows a value. */
export function call(target) {
  if (isClass(target)) return new target()
  return typeof target === 'function' ? target() : target
}
