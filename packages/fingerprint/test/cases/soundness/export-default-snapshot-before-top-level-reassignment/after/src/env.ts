let env = 'development'

export { env as default }

env = 'production'
