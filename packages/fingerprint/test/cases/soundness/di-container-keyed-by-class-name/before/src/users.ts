import { Container } from './container'

class UserService {
  find(id: number) { return { id } }
}

const container = new Container()
container.register(UserService)

export function resolveUser(token: string, id: number) {
  const service = container.resolve(token) as { find(id: number): unknown } | undefined
  return service ? service.find(id) : `no provider for ${token}`
}
