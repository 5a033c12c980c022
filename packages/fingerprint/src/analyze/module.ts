import { isBuiltin } from 'node:module'
import { blake3 } from '../hash.ts'
import { type Canon, canonicalize, type ModuleScope } from './canon.ts'
import type { LineIndex } from './lines.ts'
import {
  type AnalysisWarning,
  DEFAULT_LOCAL,
  type Effects,
  type ExportInfo,
  type FileAnalysis,
  type ImportInfo,
  type JsxPragma,
  type LoadRequest,
  type NameInfo,
  type Ref,
} from './analysis-types.ts'
import { isDeferredValue, moduleDeclarationName, patternNames, staticKey } from './static-syntax.ts'
import { isErased, unwrap } from './ts-erasure.ts'

type Node = any

interface Unit {
  node: Node
  role: 'root' | 'stmt'
  prefix: string
  names: string[]
  start: number
  alias?: boolean
}

/** The function a unit defines: a declaration, or a declarator's function value. */
function unitFunction(node: Node): Node | undefined {
  if (node.type === 'FunctionDeclaration') return node
  if (node.type === 'VariableDeclarator' && isDeferredValue(node.init)) return unwrap(node.init)
  return undefined
}

/**
 * When every `return` of a function (its own, not nested ones') gives a function, or the result of
 * calling a module-level name: those names (empty when all are functions). Undefined otherwise.
 */
function returnedFunctions(fn: Node): string[] | undefined {
  const isFn = (n: Node): boolean => n?.type === 'ArrowFunctionExpression' || n?.type === 'FunctionExpression'
  if (fn.type === 'ArrowFunctionExpression' && fn.body.type !== 'BlockStatement') return isFn(fn.body) ? [] : undefined
  const names: string[] = []
  let returns = 0
  const stack: Node[] = [fn.body]
  while (stack.length > 0) {
    const n = stack.pop()
    if (!n || typeof n !== 'object') continue
    if (Array.isArray(n)) {
      for (const x of n) stack.push(x)
      continue
    }
    if (n.type === 'ReturnStatement') {
      returns++
      const a = n.argument
      if (isFn(a)) continue
      if (a?.type === 'CallExpression' && a.callee.type === 'Identifier') {
        names.push(a.callee.name)
        continue
      }
      return undefined
    }
    if (isFn(n) || n.type === 'FunctionDeclaration' || n.type === 'ClassDeclaration' || n.type === 'ClassExpression') continue
    for (const k of Object.keys(n)) if (k !== 'type' && typeof n[k] === 'object') stack.push(n[k])
  }
  return returns > 0 ? names : undefined
}

/** `const add = curry2(…)`: the module-level name whose call made the value. */
function madeByCall(node: Node): string | undefined {
  if (node.type !== 'VariableDeclarator' || node.id.type !== 'Identifier') return undefined
  const init = node.init
  return init?.type === 'CallExpression' && init.callee.type === 'Identifier' ? init.callee.name : undefined
}

/** A part of a binding (or the effects), as canonicalized. */
interface Part {
  hash: string
  slots: Ref[]
  effects?: Effects
  location?: boolean
  jsx?: number
  alias?: boolean
  metadata?: { hash: string; slots: Ref[] }
  pattern?: [string, number, number]
  cls?: boolean
  free?: string[]
  undeclared?: Array<[string, number, number]>
}

/** An object for names from source code: no prototype, so `toString` is just a name. */
function dict<T>(): Record<string, T> {
  return Object.create(null) as Record<string, T>
}

const MODULE_SPECIFIERS = new Set(['module', 'node:module'])

/** Name of an import/export specifier part: an identifier or a string literal (`export { x as "a-b" }`). */
function specName(n: Node): string {
  return n.type === 'Identifier' ? n.name : String(n.value)
}

/** Names a top-level statement declares with `var` inside its blocks (hoisted to the module; iterative). */
function hoistedVars(stmt: Node): string[] {
  const names: string[] = []
  const stack: Node[] = [stmt]
  while (stack.length > 0) {
    const n = stack.pop()
    if (!n || typeof n !== 'object') continue
    if (Array.isArray(n)) {
      for (let i = n.length - 1; i >= 0; i--) stack.push(n[i])
      continue
    }
    if (n.type === 'VariableDeclaration' && n.kind === 'var') for (const d of n.declarations) names.push(...patternNames(d.id))
    switch (n.type) {
      case 'BlockStatement':
        stack.push(n.body)
        break
      case 'IfStatement':
        stack.push(n.alternate, n.consequent)
        break
      case 'ForStatement':
        stack.push(n.body, n.init)
        break
      case 'ForInStatement':
      case 'ForOfStatement':
        stack.push(n.body, n.left)
        break
      case 'WhileStatement':
      case 'DoWhileStatement':
      case 'LabeledStatement':
      case 'WithStatement':
        stack.push(n.body)
        break
      case 'TryStatement':
        stack.push(n.finalizer, n.handler?.body, n.block)
        break
      case 'SwitchStatement':
        for (let i = n.cases.length - 1; i >= 0; i--) stack.push(n.cases[i].consequent)
        break
    }
  }
  return names
}

/** Collects the module's imports, exports, loads and units (one per top-level declaration or declarator). */
class ModuleCollector {
  readonly imports = dict<ImportInfo>()
  readonly exports = dict<ExportInfo>()
  readonly stars: Array<[string, number, number]> = []
  readonly loads: LoadRequest[] = []
  readonly units: Unit[] = []
  readonly effects: Node[] = []

  constructor(
    private lines: LineIndex,
    private esm: boolean,
  ) {}

  statement(node: Node): void {
    if (isErased(node)) return
    switch (node.type) {
      case 'ImportDeclaration':
        this.importDecl(node)
        return
      case 'ExportNamedDeclaration':
        this.exportNamed(node)
        return
      case 'ExportDefaultDeclaration':
        this.exportDefault(node)
        return
      case 'ExportAllDeclaration':
        this.exportAll(node)
        return
      case 'TSImportEqualsDeclaration':
        this.importEquals(node, false)
        return
    }
    if (!this.esm && this.commonjsExport(node)) return
    if (!this.declaration(node)) this.effects.push(node)
  }

  private pos(node: Node): [number, number] {
    const { line, column } = this.lines.position(node.start)
    return [line, column]
  }

  private load(specifier: string, node: Node, kind: 'i' | 'r', sideEffectOnly: boolean): void {
    this.loads.push([specifier, ...this.pos(node), kind, sideEffectOnly ? 1 : 0])
  }

  private importDecl(node: Node): void {
    const source: string = node.source.value
    const values = node.specifiers.filter((s: Node) => s.importKind !== 'type')
    // `import './setup'` runs the module; `import { type A } from './a'` is erased (not with `verbatimModuleSyntax`, kept coarse).
    if (values.length > 0 || node.specifiers.length === 0) this.load(source, node, 'i', node.specifiers.length === 0)
    // A Node built-in's default export is its namespace: `import path from 'node:path'` is `import * as path`.
    const builtin = isBuiltin(source)
    for (const s of values) {
      const imported =
        s.type === 'ImportNamespaceSpecifier' || (builtin && s.type === 'ImportDefaultSpecifier')
          ? '*'
          : s.type === 'ImportDefaultSpecifier'
            ? 'default'
            : specName(s.imported)
      this.imports[s.local.name] = [source, imported, ...this.pos(node), 'i']
    }
  }

  /** `import x = require('y')` (a require) or `import X = A.B` (a run-time alias, a binding). */
  private importEquals(node: Node, exported: boolean): void {
    if (node.importKind === 'type') return
    const ref = node.moduleReference
    if (ref.type === 'TSExternalModuleReference') {
      this.imports[node.id.name] = [ref.expression.value, '*', ...this.pos(node), 'r']
      this.load(ref.expression.value, node, 'r', false)
      if (exported) this.exports[node.id.name] = ['local', node.id.name]
      return
    }
    this.units.push({ node: ref, role: 'stmt', prefix: 'TSImportEquals', names: [node.id.name], start: node.start, alias: true })
    if (exported) this.exports[node.id.name] = ['local', node.id.name]
  }

  private exportNamed(node: Node): void {
    if (node.declaration) {
      if (isErased(node.declaration)) return
      if (node.declaration.type === 'TSImportEqualsDeclaration') {
        this.importEquals(node.declaration, true)
        return
      }
      for (const name of this.declaredNames(node.declaration)) this.exports[name] = ['local', name]
      this.declaration(node.declaration)
      return
    }
    if (node.source) this.load(node.source.value, node, 'i', false)
    for (const s of node.specifiers) {
      if (s.exportKind === 'type') continue
      const exported = specName(s.exported)
      if (node.source) this.exports[exported] = ['re', node.source.value, specName(s.local), ...this.pos(node)]
      else this.exports[exported] = ['local', specName(s.local)]
    }
  }

  private exportDefault(node: Node): void {
    const d = node.declaration
    if (isErased(d)) return
    if ((d.type === 'FunctionDeclaration' || d.type === 'ClassDeclaration') && d.id) {
      this.exports.default = ['local', d.id.name]
      this.declaration(d)
      return
    }
    // `export default x` copies the value of `x` once (`export { x as default }` stays live):
    // it is a unit of its own that reads `x`.
    this.exports.default = ['local', DEFAULT_LOCAL]
    const isDecl = d.type === 'FunctionDeclaration' || d.type === 'ClassDeclaration'
    this.units.push({
      node: d,
      role: isDecl ? 'root' : 'stmt',
      prefix: 'default',
      names: [DEFAULT_LOCAL],
      start: node.start,
      alias: !isDecl && !isDeferredValue(d),
    })
  }

  private exportAll(node: Node): void {
    this.load(node.source.value, node, 'i', false)
    if (node.exported) this.exports[specName(node.exported)] = ['re', node.source.value, '*', ...this.pos(node)]
    else this.stars.push([node.source.value, ...this.pos(node)])
  }

  /** `exports.x = …` / `module.exports.x = …`: the CommonJS export `x`, a binding of its own. */
  private commonjsExport(node: Node): boolean {
    if (this.commonjsExportObject(node)) return true
    const name = commonjsExportName(node)
    if (name === undefined) return false
    const local = `exports.${name}`
    this.exports[name] = ['local', local]
    this.units.push({
      node: node.expression.right,
      role: 'stmt',
      prefix: 'cjs-export',
      names: [local],
      start: node.start,
      alias: !isDeferredValue(node.expression.right),
    })
    return true
  }

  /** `module.exports = { a, b: () => … }`: each property with a static key is the CommonJS export of that name. */
  private commonjsExportObject(node: Node): boolean {
    const e = node.type === 'ExpressionStatement' ? node.expression : undefined
    if (e?.type !== 'AssignmentExpression' || e.operator !== '=' || !isModuleExports(e.left) || e.right.type !== 'ObjectExpression')
      return false
    const props: Array<[string, Node]> = []
    for (const p of e.right.properties) {
      const key = p.type === 'Property' && p.kind === 'init' ? staticKey(p.key, p.computed) : undefined
      if (key === undefined) return false
      props.push([key, p.value])
    }
    for (const [key, value] of props) {
      const local = `exports.${key}`
      this.exports[key] = ['local', local]
      this.units.push({
        node: value,
        role: 'stmt',
        prefix: 'cjs-export',
        names: [local],
        start: node.start,
        alias: !isDeferredValue(value),
      })
    }
    return true
  }

  private declaredNames(node: Node): string[] {
    if (node.type === 'VariableDeclaration') return node.declarations.flatMap((d: Node) => patternNames(d.id))
    if (node.type === 'TSModuleDeclaration') return [moduleDeclarationName(node.id).split('.')[0]!]
    if (node.id?.type === 'Identifier') return [node.id.name]
    return []
  }

  /** Adds the units of a declaration; false when the node is not one. */
  private declaration(node: Node): boolean {
    switch (node.type) {
      case 'FunctionDeclaration':
      case 'ClassDeclaration':
      case 'TSEnumDeclaration':
        this.units.push({ node, role: 'root', prefix: node.type, names: [node.id.name], start: node.start })
        return true
      case 'TSModuleDeclaration': {
        // `namespace A.B {}` declares the value `A`.
        if (node.id.type !== 'Identifier' && node.id.type !== 'TSQualifiedName') return false
        const name = moduleDeclarationName(node.id).split('.')[0]!
        this.units.push({ node, role: 'stmt', prefix: node.type, names: [name], start: node.start, alias: true })
        return true
      }
      case 'VariableDeclaration':
        for (const d of node.declarations) {
          const alias = d.id.type !== 'Identifier' || !(isDeferredValue(d.init) || d.init?.type === 'ClassExpression')
          this.units.push({ node: d, role: 'root', prefix: `Var:${node.kind}`, names: patternNames(d.id), start: d.start, alias })
        }
        return true
    }
    return false
  }
}

function isModuleExports(n: Node): boolean {
  return (
    n.type === 'MemberExpression' &&
    !n.computed &&
    n.object.type === 'Identifier' &&
    n.object.name === 'module' &&
    n.property.name === 'exports'
  )
}

/** The name `x` of a top-level `exports.x = …` or `module.exports.x = …`. */
function commonjsExportName(node: Node): string | undefined {
  if (node.type !== 'ExpressionStatement' || node.expression.type !== 'AssignmentExpression' || node.expression.operator !== '=')
    return undefined
  const left = node.expression.left
  if (left.type !== 'MemberExpression' || left.computed || left.property.type !== 'Identifier') return undefined
  const o = left.object
  const isExports =
    (o.type === 'Identifier' && o.name === 'exports') ||
    (o.type === 'MemberExpression' &&
      !o.computed &&
      o.object.type === 'Identifier' &&
      o.object.name === 'module' &&
      o.property.name === 'exports')
  return isExports ? left.property.name : undefined
}

/** Module-level names bound to `createRequire(…)` from `node:module`: calling them is `require`. */
function requireAliases(units: Unit[], imports: Record<string, ImportInfo>): Set<string> {
  const out = new Set<string>()
  const fromModule = (name: string, imported: (i: string) => boolean): boolean => {
    const imp = Object.hasOwn(imports, name) ? imports[name]! : undefined
    return !!imp && MODULE_SPECIFIERS.has(imp[0]) && imported(imp[1])
  }
  for (const u of units) {
    const init = u.node.type === 'VariableDeclarator' && u.node.id.type === 'Identifier' ? u.node.init : undefined
    if (init?.type !== 'CallExpression') continue
    const c = init.callee
    const isCreateRequire =
      (c.type === 'Identifier' && fromModule(c.name, i => i === 'createRequire')) ||
      (c.type === 'MemberExpression' &&
        !c.computed &&
        c.property.name === 'createRequire' &&
        c.object.type === 'Identifier' &&
        fromModule(c.object.name, i => i === '*' || i === 'default'))
    if (isCreateRequire) out.add(u.node.id.name)
  }
  return out
}

/** Offsets a part's effect indices by the slots of the parts before it. */
function shiftEffects(fx: Effects | undefined, by: number): Effects | undefined {
  if (!fx || by === 0) return fx
  const shift = (a?: number[]): number[] | undefined => a?.map(i => i + by)
  const out: Effects = {}
  if (fx.w) out.w = shift(fx.w)
  if (fx.a) out.a = shift(fx.a)
  if (fx.g) out.g = 1
  if (fx.lw) out.lw = shift(fx.lw)
  if (fx.la) out.la = shift(fx.la)
  if (fx.lr) out.lr = shift(fx.lr)
  if (fx.lg) out.lg = 1
  return out
}

function mergeEffects(a: Effects | undefined, b: Effects | undefined): Effects | undefined {
  if (!a) return b
  if (!b) return a
  const cat = (x?: number[], y?: number[]): number[] | undefined => (x || y ? [...(x ?? []), ...(y ?? [])] : undefined)
  const out: Effects = {}
  const w = cat(a.w, b.w)
  if (w) out.w = w
  const passed = cat(a.a, b.a)
  if (passed) out.a = passed
  if (a.g || b.g) out.g = 1
  const lw = cat(a.lw, b.lw)
  if (lw) out.lw = lw
  const la = cat(a.la, b.la)
  if (la) out.la = la
  const lr = cat(a.lr, b.lr)
  if (lr) out.lr = lr
  if (a.lg || b.lg) out.lg = 1
  return out
}

/** Folds several canonical parts into one name: hashes in order, each with its slot count. */
function combine(parts: Part[], line: number): NameInfo {
  let own: string
  if (parts.length === 1) own = parts[0]!.hash
  else own = blake3(`multi\n${parts.map(p => `${p.hash}:${p.slots.length}`).join(',')}`)
  const info: NameInfo = { own, slots: [], line }
  let fx: Effects | undefined
  for (const p of parts) {
    fx = mergeEffects(fx, shiftEffects(p.effects, info.slots.length))
    for (const s of p.slots) info.slots.push(s)
    if (p.location) info.loc = 1
    if (p.jsx) info.jsx = (info.jsx ?? 0) | p.jsx
    if (p.pattern && !info.pattern) info.pattern = p.pattern
    if (p.cls) info.cls = 1
    if (p.free && p.free.length > 0) info.free = info.free ? [...new Set([...info.free, ...p.free])].sort() : p.free
    for (const u of p.undeclared ?? []) if (!info.undeclared?.some(v => v[0] === u[0])) (info.undeclared ??= []).push(u)
    if (p.metadata)
      info.meta = info.meta
        ? { hash: blake3(`${info.meta.hash}\n${p.metadata.hash}`), slots: [...info.meta.slots, ...p.metadata.slots] }
        : p.metadata
  }
  if (fx && Object.keys(fx).length > 0) info.fx = fx
  if (parts.every(p => p.alias)) info.alias = 1
  return info
}

/** Every effect of a top-level statement runs at load: a function written in it may be called at once. */
function statementEffects(canon: Canon): Effects {
  const fx: Effects = {}
  if (canon.effects.w) fx.w = canon.effects.w
  if (canon.effects.a) fx.a = canon.effects.a
  if (canon.effects.g) fx.g = 1
  if (canon.effects.w) fx.lw = canon.effects.w
  if (canon.effects.a) fx.la = canon.effects.a
  if (canon.effects.r) fx.lr = canon.effects.r
  if (canon.effects.g) fx.lg = 1
  return fx
}

/** JSX settings stated in the file's comments (`@jsx`, `@jsxFrag`, `@jsxRuntime`, `@jsxImportSource`). */
export function jsxPragma(source: string): JsxPragma | undefined {
  if (!source.includes('@jsx')) return undefined
  const out: JsxPragma = {}
  for (const m of source.matchAll(/\/\*[\s\S]*?\*\/|\/\/[^\n]*/g)) {
    for (const p of m[0].matchAll(/@(jsx|jsxFrag|jsxRuntime|jsxImportSource)\s+([^\s*]+)/g)) {
      const value = p[2]!
      if (p[1] === 'jsx') out.factory = value
      else if (p[1] === 'jsxFrag') out.fragment = value
      else if (p[1] === 'jsxRuntime') out.runtime = value
      else out.importSource = value
    }
  }
  return Object.keys(out).length > 0 ? out : undefined
}

/** Analyzes a parsed program into its path-free, cacheable summary. */
export function analyzeProgram(program: Node, lines: LineIndex, esm: boolean, source = ''): FileAnalysis {
  const collector = new ModuleCollector(lines, esm)
  for (const s of program.body) collector.statement(s)
  const declared = new Set(collector.units.flatMap(u => u.names))
  const hoisted = collector.effects.map(hoistedVars)
  for (const names of hoisted) for (const n of names) declared.add(n)
  const scope: ModuleScope = {
    imports: collector.imports,
    declared,
    requires: requireAliases(collector.units, collector.imports),
    commonjs: !esm,
  }
  const warnings: AnalysisWarning[] = []
  const parts = new Map<string, Part[]>()
  const firstLine = new Map<string, number>()
  const loads = collector.loads
  const add = (name: string, part: Part, start: number): void => {
    let list = parts.get(name)
    if (!list) {
      list = []
      parts.set(name, list)
      firstLine.set(name, lines.position(start).line)
    }
    list.push(part)
  }

  const shapes = new Map<string, { madeBy?: string; returnsFn?: string[] }>()
  for (const unit of collector.units) {
    if (unit.names.length === 1) {
      const fn = unitFunction(unit.node)
      const returnsFn = fn ? returnedFunctions(fn) : undefined
      const madeBy = madeByCall(unit.node)
      if (returnsFn || madeBy) shapes.set(unit.names[0]!, { madeBy, returnsFn })
    }
    const canon: Canon = canonicalize(unit.node, unit.role, unit.prefix, scope, lines, warnings)
    for (const r of canon.requests) loads.push(r)
    const { r: _runs, ...effects } = canon.effects
    const part: Part = {
      hash: canon.hash,
      slots: canon.slots,
      effects,
      location: canon.location,
      jsx: canon.jsx,
      alias: unit.alias,
      metadata: canon.metadata,
      pattern: canon.pattern,
      cls: canon.cls,
      free: canon.free,
      undeclared: canon.undeclared,
    }
    if (canon.patternNames.length === 0) {
      for (const name of unit.names) add(name, part, unit.start)
      continue
    }
    canon.patternNames.forEach((name, i) => add(name, { ...part, hash: blake3(`${canon.hash}\npattern ${i}`) }, unit.start))
  }

  const effectParts: Part[] = []
  const effectUnits: NameInfo[] = []
  collector.effects.forEach((stmt, i) => {
    const canon = canonicalize(stmt, 'stmt', 'effect', scope, lines, warnings)
    // `require('x')` on its own runs a module for its effects.
    for (const r of canon.requests) loads.push(isBareRequire(stmt) && r[0] === bareRequireSpecifier(stmt) ? [r[0], r[1], r[2], r[3], 1] : r)
    const part: Part = {
      hash: canon.hash,
      slots: canon.slots,
      effects: statementEffects(canon),
      location: canon.location,
      jsx: canon.jsx,
      pattern: canon.pattern,
      cls: canon.cls,
      free: canon.free,
      undeclared: canon.undeclared,
    }
    warnCrossModuleWrites(stmt, canon, lines, warnings)
    effectParts.push(part)
    effectUnits.push(combine([part], lines.position(stmt.start).line))
    // `if (x) { var y = 1 }` at the top level declares the module binding `y`.
    for (const name of hoisted[i]!)
      if (!parts.has(name)) add(name, { ...part, hash: blake3(`${canon.hash}\nvar ${hoisted[i]!.indexOf(name)}`) }, stmt.start)
  })

  const names = dict<NameInfo>()
  for (const name of [...parts.keys()].sort()) {
    names[name] = combine(parts.get(name)!, firstLine.get(name)!)
    // Only a name defined once has a known shape (a merged or re-declared name may hold anything).
    const shape = parts.get(name)!.length === 1 ? shapes.get(name) : undefined
    if (shape?.madeBy) names[name]!.madeBy = shape.madeBy
    if (shape?.returnsFn) names[name]!.returnsFn = shape.returnsFn
  }
  const effects = effectParts.length > 0 ? combine(effectParts, 1) : { own: blake3('effects\n'), slots: [], line: 1 }
  const analysis: FileAnalysis = {
    esm,
    imports: collector.imports,
    exports: collector.exports,
    stars: collector.stars,
    names,
    effects,
    effectUnits,
    loads,
    warnings,
  }
  const pragma = jsxPragma(source)
  if (pragma) analysis.jsxPragma = pragma
  return analysis
}

function isBareRequire(stmt: Node): boolean {
  const e = stmt.type === 'ExpressionStatement' ? stmt.expression : undefined
  return e?.type === 'CallExpression' && e.callee.type === 'Identifier' && e.arguments.length === 1
}

function bareRequireSpecifier(stmt: Node): unknown {
  return stmt.expression.arguments[0]?.value
}

/**
 * Top-level code that changes an object of another module of the project (`limits.max = 10`)
 * counts for a cached function only when this module is loaded with it (imported by the
 * function's module or by what it imports): from anywhere else the engine cannot see it.
 */
function warnCrossModuleWrites(stmt: Node, canon: Canon, lines: LineIndex, warnings: AnalysisWarning[]): void {
  const seen = new Set<string>()
  for (const i of canon.effects.w ?? []) {
    const ref = canon.slots[i]!
    if (ref[0] !== 'x' || !/^\.\.?\//.test(ref[1])) continue
    const what = `'${ref[2] === '*' ? (ref[5] ?? ref[1]) : ref[2]}' of '${ref[1]}'`
    if (seen.has(what)) continue
    seen.add(what)
    const { line, column } = lines.position(stmt.start)
    warnings.push({
      code: 'cross-module-write',
      line,
      column,
      message: `top-level code changes ${what}. A cached function that reads it counts this change only when this module is loaded with it (imported by the function's module or by what that imports); elsewhere it is not seen. Move the setup into the module that owns the object, or import this module where the cached function is.`,
    })
  }
}
