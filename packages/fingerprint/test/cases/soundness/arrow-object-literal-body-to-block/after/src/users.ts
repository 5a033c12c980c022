export const toDto = (u: { id: number, name: string }) => {
  return { id: u.id, label: `#${u.id} ${u.name}` }
}
