/** Bumped whenever normalization changes: it is part of every cache key. */
export const ENGINE_VERSION = 'fp-4'
