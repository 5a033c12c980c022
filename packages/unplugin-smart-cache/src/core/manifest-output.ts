// Where and when a build writes its manifest (contract 3): the default one beside the engine cache,
// named after the output folder and kept when its content is unchanged, or a file beside the output
// when asked for (`manifest: 'name.json'`). The text is made once per state of the registry.
import { dirname, resolve } from 'node:path'
import type { EngineRecord } from './engine-record.js'
import { type FunctionRegistry, manifestDigest, manifestJson, writtenManifestDigest } from './manifest.js'
import { cachedManifestFile, writeManifestFile } from './manifest-writer.js'

/** A bundle's output options, as far as the manifest's place needs them. */
export interface OutputPlace {
  dir?: string
  file?: string
}

/** The output folder of a bundle. */
export const outputDir = (output: OutputPlace): string | undefined => output.dir ?? (output.file && dirname(output.file))

export class ManifestOutput {
  /** The manifest file name beside the output (opt-in: it is deployed with the output), if asked for. */
  readonly besideOutput: string | undefined
  private contentDigest: { version: number; digest: string | undefined } | undefined
  private text: { version: number; json: string | undefined } | undefined

  /**
   * @param setting The plugin's `manifest` option.
   * @param root The project root (known once the bundler's config is read).
   */
  constructor(
    private readonly setting: string | boolean,
    private readonly registry: FunctionRegistry,
    private readonly engineRecord: EngineRecord,
    private readonly root: () => string,
  ) {
    this.besideOutput = typeof setting === 'string' ? setting : undefined
  }

  /** The engine options of the environments whose functions the manifest holds. */
  private recorded(): ReturnType<EngineRecord['json']> {
    return this.engineRecord.json(this.root(), this.registry.environments())
  }

  /** What the manifest's content follows from, once per state of the registry (see `manifestDigest`). */
  private digest(): string | undefined {
    if (this.contentDigest?.version !== this.registry.version)
      this.contentDigest = { version: this.registry.version, digest: manifestDigest(this.registry.entries(), this.recorded()) }
    return this.contentDigest.digest
  }

  /** The manifest's text, made once per state of the registry (a build asks for it in several hooks). */
  json(): string | undefined {
    if (this.text?.version !== this.registry.version)
      this.text = {
        version: this.registry.version,
        json:
          this.setting && this.registry.size > 0
            ? manifestJson(this.registry.entries(), new Date(), this.digest(), this.recorded())
            : undefined,
      }
    return this.text.json
  }

  /** The default manifest of the output folder `dir` (`manifest: true`: beside the engine cache), when it is written now. */
  private defaultFile(dir: string | undefined): string | undefined {
    return this.setting === true && dir && this.registry.size > 0 ? cachedManifestFile(this.root(), resolve(this.root(), dir)) : undefined
  }

  /** Whether the default manifest of `dir` already holds this build's content (a warm build with nothing changed). */
  private upToDate(file: string): boolean {
    const now = this.digest()
    return now !== undefined && writtenManifestDigest(file) === now
  }

  /** The default manifest (`manifest: true`): beside the engine cache, named after the output folder `dir`; kept when unchanged. */
  writeOutsideOutput(dir: string | undefined): void {
    const file = this.defaultFile(dir)
    if (!file || this.upToDate(file)) return
    const json = this.json()
    if (json) writeManifestFile(dirname(file), file.slice(dirname(file).length + 1), json)
  }

  /**
   * Rollup, Rolldown and Vite: the manifest is made while the bundler renders (~100 ms for 50
   * functions reaching 5,000 modules), unless the default one of this output is up to date.
   */
  prepare(output: OutputPlace): void {
    if (!this.setting) return
    const file = this.defaultFile(outputDir(output))
    if (file && this.upToDate(file)) return
    setImmediate(() => {
      try {
        this.json()
      } catch {} // made again, and reported, by the hook that writes it
    })
  }
}
