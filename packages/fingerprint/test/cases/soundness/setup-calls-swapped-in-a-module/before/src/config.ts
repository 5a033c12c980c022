const config = { rate: 1 }

export function setRate(rate: number) {
  config.rate = rate
}

export function rate() {
  return config.rate
}

setRate(2)
setRate(3)
