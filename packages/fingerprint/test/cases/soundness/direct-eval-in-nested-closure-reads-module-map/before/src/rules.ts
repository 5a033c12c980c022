const limits = new Map([['max', 10], ['min', 1]])

export function check(rules: string[]) {
  return rules.map(rule => String(eval(rule)))
}
