export const currency = 'USD'
