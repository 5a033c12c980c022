export const timeout = 5000
export const retries = 3
export const endpoints = { api: '/api' }
