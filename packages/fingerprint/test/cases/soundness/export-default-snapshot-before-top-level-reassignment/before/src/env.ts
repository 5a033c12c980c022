let env = 'development'

export default env

env = 'production'
