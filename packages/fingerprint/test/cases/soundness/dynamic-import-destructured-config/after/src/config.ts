export const timeout = 5000
export const retries = 5
export const endpoints = { api: '/api' }
