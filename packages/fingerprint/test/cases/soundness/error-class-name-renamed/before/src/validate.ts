class ValidationError extends Error {
  constructor(message: string) {
    super(message)
    this.name = new.target.name
  }
}

export function validate(input: string) {
  try {
    if (!input.includes('@')) throw new ValidationError(`not an email: ${input}`)
    return 'ok'
  }
  catch (e) {
    return `${(e as Error).name}: ${(e as Error).message}`
  }
}
