import { unplugin } from './index.js'

export type { Options } from './core/options.js'

/** The smart-cache plugin for esbuild. */
export default unplugin.esbuild
