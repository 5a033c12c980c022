import { settings } from './settings'

settings.rate = 2
