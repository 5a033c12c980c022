const tokens = new WeakMap<object, string[]>()

export function Inject(token: string) {
  return (target: object, _key: string | symbol | undefined, index: number) => {
    const list = tokens.get(target) ?? []
    list[index] = token
    tokens.set(target, list)
  }
}

export class Injector {
  constructor(private readonly values: Record<string, unknown>) {}
  create<T>(cls: new (...args: any[]) => T): T {
    return new cls(...(tokens.get(cls) ?? []).map(t => this.values[t]))
  }
}
