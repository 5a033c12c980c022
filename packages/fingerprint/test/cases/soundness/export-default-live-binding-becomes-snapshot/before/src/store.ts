export let state = { user: 'guest' }

export function login(user: string) {
  state = { user }
}

export { state as default }
