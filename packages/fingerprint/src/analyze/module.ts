import { blake3 } from '../hash.ts'
import { type Canon, canonicalize, type ModuleScope } from './canon.ts'
import type { LineIndex } from './lines.ts'
import { type AnalysisWarning, DEFAULT_LOCAL, type ExportInfo, type FileAnalysis, type ImportInfo, type NameInfo, type Ref } from './types.ts'
import { isErased } from './walk.ts'

type Node = any


interface Unit { node: Node, role: 'root' | 'stmt', prefix: string, names: string[], start: number }

/** Name of an import/export specifier part: an identifier or a string literal (`export { x as "a-b" }`). */
function specName(n: Node): string {
  return n.type === 'Identifier' ? n.name : String(n.value)
}

/** Names a binding pattern declares, in source order (iterative). */
function patternNames(pattern: Node): string[] {
  const names: string[] = []
  const stack: Node[] = [pattern]
  while (stack.length > 0) {
    const n = stack.pop()
    if (!n) continue
    switch (n.type) {
      case 'Identifier': names.push(n.name); break
      case 'ObjectPattern': for (let i = n.properties.length - 1; i >= 0; i--) stack.push(n.properties[i].type === 'RestElement' ? n.properties[i] : n.properties[i].value); break
      case 'ArrayPattern': for (let i = n.elements.length - 1; i >= 0; i--) stack.push(n.elements[i]); break
      case 'RestElement': stack.push(n.argument); break
      case 'AssignmentPattern': stack.push(n.left); break
    }
  }
  return names
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
      case 'BlockStatement': stack.push(n.body); break
      case 'IfStatement': stack.push(n.alternate, n.consequent); break
      case 'ForStatement': stack.push(n.body, n.init); break
      case 'ForInStatement': case 'ForOfStatement': stack.push(n.body, n.left); break
      case 'WhileStatement': case 'DoWhileStatement': case 'LabeledStatement': case 'WithStatement': stack.push(n.body); break
      case 'TryStatement': stack.push(n.finalizer, n.handler?.body, n.block); break
      case 'SwitchStatement': for (let i = n.cases.length - 1; i >= 0; i--) stack.push(n.cases[i].consequent); break
    }
  }
  return names
}

/** Collects the module's imports, exports and units (one per top-level declaration or declarator). */
class ModuleCollector {
  readonly imports: Record<string, ImportInfo> = {}
  readonly exports: Record<string, ExportInfo> = {}
  readonly stars: Array<[string, number, number]> = []
  readonly units: Unit[] = []
  readonly effects: Node[] = []

  constructor(private lines: LineIndex) {}

  statement(node: Node): void {
    if (isErased(node)) return
    switch (node.type) {
      case 'ImportDeclaration': this.importDecl(node); return
      case 'ExportNamedDeclaration': this.exportNamed(node); return
      case 'ExportDefaultDeclaration': this.exportDefault(node); return
      case 'ExportAllDeclaration': this.exportAll(node); return
      case 'TSImportEqualsDeclaration': this.importEquals(node); return
    }
    if (!this.declaration(node)) this.effects.push(node)
  }

  private pos(node: Node): [number, number] {
    const { line, column } = this.lines.position(node.start)
    return [line, column]
  }

  private importDecl(node: Node): void {
    const source: string = node.source.value
    for (const s of node.specifiers) {
      if (s.importKind === 'type') continue
      const imported = s.type === 'ImportDefaultSpecifier' ? 'default' : s.type === 'ImportNamespaceSpecifier' ? '*' : specName(s.imported)
      this.imports[s.local.name] = [source, imported, ...this.pos(node)]
    }
  }

  private importEquals(node: Node): void {
    if (node.importKind === 'type') return
    const ref = node.moduleReference
    if (ref.type === 'TSExternalModuleReference') this.imports[node.id.name] = [ref.expression.value, '*', ...this.pos(node)]
    else this.effects.push(node)
  }

  private exportNamed(node: Node): void {
    if (node.declaration) {
      if (isErased(node.declaration)) return
      for (const name of this.declaredNames(node.declaration)) this.exports[name] = ['local', name]
      this.declaration(node.declaration)
      return
    }
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
    if (d.type === 'Identifier') {
      this.exports.default = ['local', d.name]
      return
    }
    this.exports.default = ['local', DEFAULT_LOCAL]
    const isDecl = d.type === 'FunctionDeclaration' || d.type === 'ClassDeclaration'
    this.units.push({ node: d, role: isDecl ? 'root' : 'stmt', prefix: 'default', names: [DEFAULT_LOCAL], start: node.start })
  }

  private exportAll(node: Node): void {
    if (node.exported) this.exports[specName(node.exported)] = ['re', node.source.value, '*', ...this.pos(node)]
    else this.stars.push([node.source.value, ...this.pos(node)])
  }

  private declaredNames(node: Node): string[] {
    if (node.type === 'VariableDeclaration') return node.declarations.flatMap((d: Node) => patternNames(d.id))
    if (node.id?.type === 'Identifier') return [node.id.name]
    return []
  }

  /** Adds the units of a declaration; false when the node is not one. */
  private declaration(node: Node): boolean {
    switch (node.type) {
      case 'FunctionDeclaration': case 'ClassDeclaration': case 'TSEnumDeclaration':
        this.units.push({ node, role: 'root', prefix: node.type, names: [node.id.name], start: node.start })
        return true
      case 'TSModuleDeclaration':
        if (node.id.type !== 'Identifier') return false
        this.units.push({ node, role: 'stmt', prefix: node.type, names: [node.id.name], start: node.start })
        return true
      case 'VariableDeclaration':
        for (const d of node.declarations) {
          this.units.push({ node: d, role: 'root', prefix: `Var:${node.kind}`, names: patternNames(d.id), start: d.start })
        }
        return true
    }
    return false
  }
}

/** Folds several canonical parts into one name: hashes in order, each with its slot count. */
function combine(parts: Array<{ hash: string, slots: Ref[] }>, line: number): NameInfo {
  if (parts.length === 1) return { own: parts[0]!.hash, slots: parts[0]!.slots, line }
  const text = parts.map(p => `${p.hash}:${p.slots.length}`).join(',')
  return { own: blake3(`multi\n${text}`), slots: parts.flatMap(p => p.slots), line }
}

/** Analyzes a parsed program into its path-free, cacheable summary. */
export function analyzeProgram(program: Node, lines: LineIndex, esm: boolean): FileAnalysis {
  const collector = new ModuleCollector(lines)
  for (const s of program.body) collector.statement(s)
  const declared = new Set(collector.units.flatMap(u => u.names))
  const hoisted = collector.effects.map(hoistedVars)
  for (const names of hoisted) for (const n of names) declared.add(n)
  const scope: ModuleScope = { imports: collector.imports, declared }
  const warnings: AnalysisWarning[] = []
  const parts = new Map<string, Array<{ hash: string, slots: Ref[] }>>()
  const firstLine = new Map<string, number>()
  const add = (name: string, part: { hash: string, slots: Ref[] }, start: number): void => {
    let list = parts.get(name)
    if (!list) {
      list = []
      parts.set(name, list)
      firstLine.set(name, lines.position(start).line)
    }
    list.push(part)
  }

  for (const unit of collector.units) {
    const canon: Canon = canonicalize(unit.node, unit.role, unit.prefix, scope, lines, warnings)
    if (canon.patternNames.length === 0) {
      for (const name of unit.names) add(name, canon, unit.start)
      continue
    }
    canon.patternNames.forEach((name, i) => add(name, { hash: blake3(`${canon.hash}\npattern ${i}`), slots: canon.slots }, unit.start))
  }

  const effectParts: Array<{ hash: string, slots: Ref[] }> = []
  collector.effects.forEach((stmt, i) => {
    const canon = canonicalize(stmt, 'stmt', 'effect', scope, lines, warnings)
    effectParts.push(canon)
    // `if (x) { var y = 1 }` at the top level declares the module binding `y`.
    for (const name of hoisted[i]!) if (!parts.has(name)) add(name, { hash: blake3(`${canon.hash}\nvar ${hoisted[i]!.indexOf(name)}`), slots: canon.slots }, stmt.start)
    // A statement that touches a binding (`Foo.prototype.x = …`) is part of that binding.
    for (const ref of canon.slots) if (ref[0] === 'n' && parts.has(ref[1])) parts.get(ref[1])!.push(canon)
  })

  const names: Record<string, NameInfo> = {}
  for (const name of [...parts.keys()].sort()) names[name] = combine(parts.get(name)!, firstLine.get(name)!)
  const effects = effectParts.length > 0 ? combine(effectParts, 1) : { own: blake3('effects\n'), slots: [], line: 1 }
  return { esm, imports: collector.imports, exports: collector.exports, stars: collector.stars, names, effects, warnings }
}
