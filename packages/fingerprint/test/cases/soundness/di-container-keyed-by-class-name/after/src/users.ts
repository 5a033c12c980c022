import { Container } from './container'

class UsersService {
  find(id: number) { return { id } }
}

const container = new Container()
container.register(UsersService)

export function resolveUser(token: string, id: number) {
  const service = container.resolve(token) as { find(id: number): unknown } | undefined
  return service ? service.find(id) : `no provider for ${token}`
}
