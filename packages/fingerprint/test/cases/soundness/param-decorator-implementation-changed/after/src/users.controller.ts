import { Body, Param, Query, routeParams } from './common'

class UsersController {
  findOne(@Param('id') id: string, @Query('fields') fields?: string) {
    return { id, fields }
  }

  update(@Param('id') id: string, @Body() dto: object) {
    return { id, ...dto }
  }
}

const controllers = [UsersController]

export function routeTable() {
  return [...routeParams].filter(([k]) => controllers.some(c => k.startsWith(`${c.name}.`))).map(([k, ps]) => `${k}(${ps.map(p => `${p.index}:${p.source}:${p.name ?? '*'}`).join(',')})`)
}
