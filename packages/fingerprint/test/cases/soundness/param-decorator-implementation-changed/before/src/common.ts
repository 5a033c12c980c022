type Source = 'param' | 'query' | 'body'
export interface ParamMeta { index: number, source: Source, name?: string }

export const routeParams = new Map<string, ParamMeta[]>()

function paramDecorator(source: Source) {
  return (name?: string) => (target: object, key: string | symbol | undefined, index: number) => {
    const id = `${(target as { constructor: { name: string } }).constructor.name}.${String(key)}`
    routeParams.set(id, [...(routeParams.get(id) ?? []), { index, source, name }])
  }
}

export const Param = paramDecorator('param')
export const Query = paramDecorator('query')
export const Body = paramDecorator('body')
