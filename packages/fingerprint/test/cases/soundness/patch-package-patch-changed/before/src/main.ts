import leftPad from 'left-pad'

export function label(n: number) {
  return `#${leftPad(String(n), 4)}`
}
