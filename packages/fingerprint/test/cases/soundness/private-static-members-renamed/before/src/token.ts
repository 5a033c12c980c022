export class TokenSigner {
  static #secret = 'k3y'
  static #hash(s: string) {
    let h = 7
    for (const c of s) h = (h * 31 + c.charCodeAt(0)) >>> 0
    return h.toString(16)
  }

  static sign(payload: string) {
    return `${payload}.${TokenSigner.#hash(payload + TokenSigner.#secret)}`
  }
}
