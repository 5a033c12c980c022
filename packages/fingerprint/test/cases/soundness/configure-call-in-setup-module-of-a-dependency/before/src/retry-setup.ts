import { configure } from './retry'

configure({ retries: 3 })
