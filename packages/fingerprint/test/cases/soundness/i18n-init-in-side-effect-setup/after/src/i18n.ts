type Messages = Record<string, Record<string, string>>

const state = { language: 'en', fallback: 'en', resources: {} as Messages }

export const i18n = {
  init(options: { lng: string, fallbackLng?: string, resources: Messages }) {
    state.language = options.lng
    state.fallback = options.fallbackLng ?? 'en'
    state.resources = options.resources
  },
  t(key: string, vars: Record<string, string> = {}) {
    const table = state.resources[state.language] ?? state.resources[state.fallback] ?? {}
    const text = table[key] ?? key
    return text.replace(/\{\{(\w+)\}\}/g, (_, k: string) => vars[k] ?? '')
  },
}
