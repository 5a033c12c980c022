/**
 * What the effect analysis knows of the built-in globals: which calls change nothing a program
 * can read back (logging, math, parsing, fresh values), and which change their arguments.
 * Anything else called on a global, or any write to one, counts as a change to global state.
 */

/** Globals whose every method leaves state alone (`console.log`, `Math.max`, `JSON.stringify`). */
const PURE_NAMESPACES = new Set(['console', 'Math', 'JSON', 'Intl', 'Atomics'])

/** `Global.method` calls that change nothing. */
const PURE_METHODS: Record<string, Set<string>> = {
  Object: new Set([
    'keys',
    'values',
    'entries',
    'getOwnPropertyNames',
    'getOwnPropertySymbols',
    'getOwnPropertyDescriptor',
    'getOwnPropertyDescriptors',
    'getPrototypeOf',
    'is',
    'isFrozen',
    'isSealed',
    'isExtensible',
    'fromEntries',
    'create',
    'hasOwn',
    'groupBy',
  ]),
  Array: new Set(['isArray', 'from', 'of', 'fromAsync']),
  Number: new Set(['isNaN', 'isFinite', 'isInteger', 'isSafeInteger', 'parseFloat', 'parseInt']),
  String: new Set(['fromCharCode', 'fromCodePoint', 'raw']),
  Date: new Set(['now', 'parse', 'UTC']),
  performance: new Set(['now']),
  Promise: new Set(['all', 'allSettled', 'any', 'race', 'resolve', 'reject', 'withResolvers', 'try']),
  Symbol: new Set(['for', 'keyFor']),
  Reflect: new Set(['get', 'has', 'ownKeys', 'getPrototypeOf', 'getOwnPropertyDescriptor', 'isExtensible']),
  BigInt: new Set(['asIntN', 'asUintN']),
  URL: new Set(['canParse', 'parse']),
  process: new Set(['cwd', 'hrtime', 'uptime', 'memoryUsage', 'cpuUsage']),
  ArrayBuffer: new Set(['isView']),
  document: new Set([
    'createElement',
    'createElementNS',
    'createTextNode',
    'createDocumentFragment',
    'getElementById',
    'getElementsByClassName',
    'getElementsByTagName',
    'querySelector',
    'querySelectorAll',
  ]),
}

/** Typed arrays: `Uint8Array.from(…)`, `Float32Array.of(…)` make fresh values. */
const TYPED_ARRAYS = new Set([
  'Int8Array',
  'Uint8Array',
  'Uint8ClampedArray',
  'Int16Array',
  'Uint16Array',
  'Int32Array',
  'Uint32Array',
  'Float32Array',
  'Float64Array',
  'BigInt64Array',
  'BigUint64Array',
])

/** `Global.method` calls that change their arguments (`Object.assign(target, …)`), and nothing else. */
const ARGUMENT_METHODS: Record<string, Set<string>> = {
  Object: new Set(['assign', 'defineProperty', 'defineProperties', 'setPrototypeOf', 'freeze', 'seal', 'preventExtensions']),
  Reflect: new Set(['set', 'defineProperty', 'deleteProperty', 'setPrototypeOf', 'preventExtensions']),
}

/** Global functions that compute a value or schedule a callback (whose own code is analyzed where it is written). */
const PURE_FUNCTIONS = new Set([
  'String',
  'Number',
  'Boolean',
  'BigInt',
  'Symbol',
  'Object',
  'Array',
  'Date',
  'RegExp',
  'Error',
  'TypeError',
  'RangeError',
  'SyntaxError',
  'ReferenceError',
  'EvalError',
  'URIError',
  'AggregateError',
  'parseInt',
  'parseFloat',
  'isNaN',
  'isFinite',
  'encodeURIComponent',
  'decodeURIComponent',
  'encodeURI',
  'decodeURI',
  'escape',
  'unescape',
  'structuredClone',
  'atob',
  'btoa',
  'setTimeout',
  'setInterval',
  'setImmediate',
  'clearTimeout',
  'clearInterval',
  'clearImmediate',
  'queueMicrotask',
  'requestAnimationFrame',
  'cancelAnimationFrame',
])

/** Global constructors whose `new` makes a fresh value and changes nothing else. */
const PURE_CONSTRUCTORS = new Set([
  'Map',
  'Set',
  'WeakMap',
  'WeakSet',
  'WeakRef',
  'FinalizationRegistry',
  'Date',
  'RegExp',
  'Error',
  'TypeError',
  'RangeError',
  'SyntaxError',
  'ReferenceError',
  'EvalError',
  'URIError',
  'AggregateError',
  'URL',
  'URLSearchParams',
  'Array',
  'Object',
  'Promise',
  'Proxy',
  'TextEncoder',
  'TextDecoder',
  'ArrayBuffer',
  'SharedArrayBuffer',
  'DataView',
  'Int8Array',
  'Uint8Array',
  'Uint8ClampedArray',
  'Int16Array',
  'Uint16Array',
  'Int32Array',
  'Uint32Array',
  'Float32Array',
  'Float64Array',
  'BigInt64Array',
  'BigUint64Array',
  'AbortController',
  'Headers',
  'Request',
  'Response',
  'FormData',
  'Blob',
  'Event',
  'EventTarget',
  'CustomEvent',
  'Intl',
  'Function',
  'String',
  'Number',
  'Boolean',
])

/**
 * Methods that never change their receiver, whatever built-in it is (`xs.map`, `m.get`, `s.trim`).
 * A method of an object written in the project is analyzed through its own code instead.
 */
const READ_ONLY_METHODS = new Set([
  'get',
  'has',
  'at',
  'map',
  'filter',
  'find',
  'findIndex',
  'findLast',
  'findLastIndex',
  'some',
  'every',
  'includes',
  'indexOf',
  'lastIndexOf',
  'slice',
  'join',
  'concat',
  'toString',
  'toLocaleString',
  'toFixed',
  'toPrecision',
  'toUpperCase',
  'toLowerCase',
  'trim',
  'trimStart',
  'trimEnd',
  'split',
  'keys',
  'values',
  'entries',
  'charAt',
  'charCodeAt',
  'codePointAt',
  'startsWith',
  'endsWith',
  'padStart',
  'padEnd',
  'repeat',
  'replace',
  'replaceAll',
  'match',
  'matchAll',
  'search',
  'substring',
  'substr',
  'normalize',
  'localeCompare',
  'reduce',
  'reduceRight',
  'forEach',
  'flat',
  'flatMap',
  'toSorted',
  'toReversed',
  'toSpliced',
  'with',
  'valueOf',
  'then',
  'catch',
  'finally',
  'test',
  'exec',
  'bind',
  'call',
  'apply',
  'getTime',
  'toISOString',
  'toJSON',
  'hasOwnProperty',
  'isPrototypeOf',
  'propertyIsEnumerable',
])

/** How a call on a global behaves: `pure` changes nothing, `arguments` changes its arguments, `global` may change anything. */
export type GlobalCall = 'pure' | 'arguments' | 'global'

/** Classifies `name(…)`, `new name(…)` or `name.method(…)` where `name` is a global. */
export function globalCall(name: string, method: string | undefined, isNew: boolean): GlobalCall {
  if (method === undefined) {
    if (isNew) return PURE_CONSTRUCTORS.has(name) ? 'pure' : 'global'
    return PURE_FUNCTIONS.has(name) ? 'pure' : 'global'
  }
  if (PURE_NAMESPACES.has(name)) return 'pure'
  if (TYPED_ARRAYS.has(name) && (method === 'from' || method === 'of')) return 'pure'
  if (Object.hasOwn(PURE_METHODS, name) && PURE_METHODS[name]!.has(method)) return 'pure'
  if (Object.hasOwn(ARGUMENT_METHODS, name) && ARGUMENT_METHODS[name]!.has(method)) return 'arguments'
  return isReadOnlyMethod(method) ? 'pure' : 'global'
}

/** Whether calling `method` on a built-in value leaves that value as it was. */
export function isReadOnlyMethod(method: string | undefined): boolean {
  return method !== undefined && READ_ONLY_METHODS.has(method)
}

/** Globals that stand for where the module is. */
export const LOCATION_GLOBALS = new Set(['G:__dirname', 'G:__filename'])

/**
 * Names that look global but are not shared state: CommonJS's module wrapper (writing them
 * changes the module's exports) and a function's own `arguments`.
 */
export const MODULE_WRAPPER_GLOBALS = new Set(['G:exports', 'G:module', 'G:require', 'G:arguments'])

/** Global properties a program sets but does not compute with (`process.exitCode = 1`). */
const WRITE_ONLY: Record<string, Set<string>> = {
  'G:process': new Set(['exitCode', 'title']),
  'G:document': new Set(['title']),
}

/** Whether writing `global.property` changes nothing a computation reads. */
export function isWriteOnlyGlobal(global: string, property: string | undefined): boolean {
  return property !== undefined && Object.hasOwn(WRITE_ONLY, global) && WRITE_ONLY[global]!.has(property)
}
