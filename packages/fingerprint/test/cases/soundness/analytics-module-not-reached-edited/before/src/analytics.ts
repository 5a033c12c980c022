export const events: string[] = []
export function track(name: string) { events.push(name) }

track('app:boot')
