import './analytics'
import { total } from './cart'

console.log(total([{ price: 2, qty: 1 }]))
