import type { UnpluginInstance } from 'unplugin'
import type { Options } from './core/options.js'
import { unplugin } from './index.js'

export type { Options }

/**
 * The smart-cache plugins for rolldown: the main one, and the one that sees components once their
 * framework compiled them (their cached functions run uncached, with a warning). Put it in the
 * plugin list as it is.
 */
export default unplugin.rolldown as UnpluginInstance<Options | undefined, true>['rolldown']
