export const toDto = (u: { id: number, name: string }) => ({ id: u.id, label: `#${u.id} ${u.name}` })
