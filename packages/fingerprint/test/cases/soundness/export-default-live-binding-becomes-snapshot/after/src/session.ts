import state, { login } from './store'

export function whoAmI(user: string) {
  login(user)
  return state.user
}
