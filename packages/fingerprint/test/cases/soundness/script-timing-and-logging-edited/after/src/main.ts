export async function work(n: number) {
  let acc = 0
  for (let i = 1; i <= n; i++) acc += i * i
  return acc
}

const t0 = performance.now()
console.log('work(2) =', await work(2))
console.log('work(5) =', await work(5))
console.log(`took ${(performance.now() - t0).toFixed(1)} ms`)
