import { defineUnit } from './units'

defineUnit('mi', 1609.344)
defineUnit('ft', 0.3048)
