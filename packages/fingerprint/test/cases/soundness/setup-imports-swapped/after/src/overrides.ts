import { settings } from './settings'

settings.rate = 3
