import './i18n-setup'
import { i18n } from './i18n'

export function welcome(name: string) {
  return i18n.t('welcome', { name })
}
