import { i18n } from './i18n'

i18n.init({
  lng: 'de',
  fallbackLng: 'en',
  resources: {
    en: { welcome: 'Welcome, {{name}}!' },
    fr: { welcome: 'Bienvenue, {{name}} !' },
    de: { welcome: 'Willkommen, {{name}}!' },
  },
})
