function upper(s: string) {
  return s.toUpperCase()
}

export function renderTemplate(template: string, name: string) {
  return eval('`' + template + '`')
}
