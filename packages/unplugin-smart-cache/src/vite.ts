import { unplugin } from './index.js'

export type { Options } from './core/options.js'

/** The smart-cache plugin for vite. */
export default unplugin.vite
