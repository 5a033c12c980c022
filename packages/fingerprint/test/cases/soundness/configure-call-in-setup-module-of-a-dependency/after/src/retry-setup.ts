import { configure } from './retry'

configure({ retries: 3, backoffMs: 250 })
