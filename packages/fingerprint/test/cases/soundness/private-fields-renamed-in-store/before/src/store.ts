export class Store<T> {
  #state: T
  #listeners = new Set<(state: T) => void>()

  constructor(initial: T) {
    this.#state = initial
  }

  subscribe(fn: (state: T) => void) {
    this.#listeners.add(fn)
    return () => this.#listeners.delete(fn)
  }

  set(next: T) {
    this.#state = next
    this.#emit()
  }

  #emit() {
    for (const fn of this.#listeners) fn(this.#state)
  }
}
