export interface Defaults { baseURL: string, timeout: number, headers: Record<string, string> }

export function create(defaults: Partial<Defaults> = {}) {
  const instance = {
    defaults: { baseURL: '', timeout: 0, headers: {}, ...defaults } as Defaults,
    getUri(config: { url: string, params?: Record<string, string | number> }) {
      const query = new URLSearchParams(Object.entries(config.params ?? {}).map(([k, v]) => [k, String(v)])).toString()
      return instance.defaults.baseURL.replace(/\/$/, '') + config.url + (query ? `?${query}` : '')
    },
  }
  return instance
}

export const http = create()
