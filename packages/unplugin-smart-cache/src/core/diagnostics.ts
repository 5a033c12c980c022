import type { ModuleFacts } from './impurity.js'
import type { Parsed } from './parse.js'
import type { AstNode } from './walk.js'
import { readFileSync } from 'node:fs'
import { createRequire } from 'node:module'
import { resolve } from 'node:path'
import { relativeId } from './ids.js'
import { ALLOW_COMMENT, findBinding, findImpurities, IMPURITY_HINT, moduleFacts } from './impurity.js'
import { parseModule } from './parse.js'
import { RuntimeFiles } from './runtime-dir.js'

type CodeFrame = (typeof import('@babel/code-frame'))['codeFrameColumns']
let codeFrame: CodeFrame | undefined

/** @babel/code-frame, loaded with the first finding (most builds have none). */
function codeFrameColumns(...args: Parameters<CodeFrame>): string {
  codeFrame ??= (createRequire(import.meta.url)('@babel/code-frame') as typeof import('@babel/code-frame')).codeFrameColumns
  return codeFrame(...args)
}

/** A finding ready to be reported. */
export interface Diagnostic {
  message: string
  file: string
  line: number
  column: number
}

interface SourceModule {
  code: string
  parsed: Parsed
  facts: ModuleFacts
  lineStarts: number[]
}

function lineStartsOf(code: string): number[] {
  const starts = [0]
  for (let i = code.indexOf('\n'); i !== -1; i = code.indexOf('\n', i + 1)) starts.push(i + 1)
  return starts
}

/** 1-based line and 0-based column of an offset. */
export function position(lineStarts: number[], offset: number): { line: number; column: number } {
  let lo = 0
  let hi = lineStarts.length - 1
  while (lo < hi) {
    const mid = (lo + hi + 1) >> 1
    if (lineStarts[mid]! <= offset) lo = mid
    else hi = mid - 1
  }
  return { line: lo + 1, column: offset - lineStarts[lo]! }
}

/** A module's text, AST and line starts; its facts are computed when a scan first needs them. */
export function sourceModule(file: string, code: string, parsed: Parsed): SourceModule {
  let facts: ModuleFacts | undefined
  return {
    code,
    parsed,
    get facts() {
      return (facts ??= moduleFacts(parsed))
    },
    lineStarts: lineStartsOf(code),
  }
}

/** Whether an allow comment covers `[from, to)` or the line just above `from`. */
function allowed(m: SourceModule, from: number, to: number): boolean {
  const { line } = position(m.lineStarts, from)
  const above = m.lineStarts[Math.max(0, line - 2)]!
  return m.parsed.comments.some(c => c.value.includes(ALLOW_COMMENT) && c.start >= above && c.start < to)
}

/** A reached binding, as the engine lists it. */
interface Dep {
  readonly file: string
  readonly binding: string
}

/** A finding's place and what it reads, before it is worded for one cached function. */
interface Finding {
  line: number
  column: number
  what: string
}

/**
 * Reads impurity findings of reached modules, parsing each file once per content. The functions of
 * a large app reach the same thousands of bindings: each binding is scanned once, and its findings
 * (almost always none) are worded for each function that reaches it.
 */
export class DiagnosticsCollector {
  private modules = new Map<string, SourceModule | null>()
  /** Findings of each reached binding, by the engine's dep entry (shared by every function that reaches it). */
  private bindings = new Map<Dep, Finding[]>()
  private runtime: RuntimeFiles
  constructor(private root: string) {
    this.runtime = new RuntimeFiles(root)
  }

  invalidate(absFile: string): void {
    this.modules.delete(relativeId(this.root, absFile))
    this.bindings.clear()
  }

  private load(relFile: string): SourceModule | null {
    let m = this.modules.get(relFile)
    if (m === undefined) {
      m = this.read(resolve(this.root, relFile))
      this.modules.set(relFile, m)
    }
    return m
  }

  /** A reached module worth scanning, or `null` (unreadable, no hint of impurity, the runtime, a syntax error). */
  private read(abs: string): SourceModule | null {
    let code: string
    try {
      code = readFileSync(abs, 'utf8')
    } catch {
      return null
    }
    if (!IMPURITY_HINT.test(code) || this.runtime.owns(abs)) return null
    const parsed = parseModule(abs, code)
    return parsed && sourceModule(abs, code, parsed)
  }

  /** Findings inside `node` of module `m` (stored under `relFile`), each with a code frame. */
  scan(m: SourceModule, relFile: string, node: AstNode, subject: string): Diagnostic[] {
    return this.word(m, relFile, this.find(m, node), subject)
  }

  /** Findings in a reached binding `dep.file#dep.binding`; `subject` words them (called only when there are some). */
  scanDep(dep: Dep, subject: () => string): Diagnostic[] {
    let found = this.bindings.get(dep)
    if (found === undefined) {
      const m = this.load(dep.file)
      const node = m && findBinding(m.parsed.program, dep.binding)
      found = m && node ? this.find(m, node) : []
      this.bindings.set(dep, found)
    }
    return found.length === 0 ? [] : this.word(this.load(dep.file)!, dep.file, found, subject())
  }

  private find(m: SourceModule, node: AstNode): Finding[] {
    if (allowed(m, node.start, node.end)) return []
    const out: Finding[] = []
    for (const f of findImpurities(node, m.facts)) {
      if (!allowed(m, f.start, f.start + 1)) out.push({ ...position(m.lineStarts, f.start), what: f.what })
    }
    return out
  }

  private word(m: SourceModule, relFile: string, found: Finding[], subject: string): Diagnostic[] {
    return found.map(({ line, column, what }) => ({
      file: relFile,
      line,
      column,
      message:
        `[smart-cache] ${subject} reads ${what} at ${relFile}:${line}:${column + 1}; a cached result would not see it change. ` +
        `Pass the value as an argument, or silence this with a '${ALLOW_COMMENT}' comment or the diagnostics.allow option.\n${codeFrameColumns(m.code, { start: { line, column: column + 1 } })}`,
    }))
  }
}
