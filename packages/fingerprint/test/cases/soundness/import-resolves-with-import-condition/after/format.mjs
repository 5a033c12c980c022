export function money(n) { return n.toLocaleString('en-US', { minimumFractionDigits: 2 }) }
