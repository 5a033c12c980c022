export namespace Validation.Rules {
  export function email(s: string) {
    return /^[^@]+@[^@]+$/.test(s)
  }
}

export function isValid(fields: { email: string }) {
  return Validation.Rules.email(fields.email)
}
