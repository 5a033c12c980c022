export class TokenSigner {
  static #key = 'k3y'
  static #digest(s: string) {
    let h = 7
    for (const c of s) h = (h * 31 + c.charCodeAt(0)) >>> 0
    return h.toString(16)
  }

  static sign(payload: string) {
    return `${payload}.${TokenSigner.#digest(payload + TokenSigner.#key)}`
  }
}
