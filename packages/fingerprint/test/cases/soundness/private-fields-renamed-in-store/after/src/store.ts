export class Store<T> {
  #current: T
  #subscribers = new Set<(state: T) => void>()

  constructor(initial: T) {
    this.#current = initial
  }

  subscribe(fn: (state: T) => void) {
    this.#subscribers.add(fn)
    return () => this.#subscribers.delete(fn)
  }

  set(next: T) {
    this.#current = next
    this.#notify()
  }

  #notify() {
    for (const fn of this.#subscribers) fn(this.#current)
  }
}
