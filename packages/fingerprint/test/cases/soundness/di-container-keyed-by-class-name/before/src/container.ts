export class Container {
  private providers = new Map<string, object>()
  register(cls: new () => object) { this.providers.set(cls.name, new cls()) }
  resolve(token: string) { return this.providers.get(token) }
}
