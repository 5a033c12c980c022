export class Money {
  #isMoney = true
  constructor(readonly cents: number) {}

  static isMoney(x: unknown): x is Money {
    return typeof x === 'object' && x !== null && #isMoney in x
  }

  static sum(...xs: unknown[]) {
    return xs.filter(x => Money.isMoney(x)).reduce((a, m) => a + (m as Money).cents, 0)
  }
}
