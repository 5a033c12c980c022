export async function work(n: number) {
  let acc = 0
  for (let i = 1; i <= n; i++) acc += i * i
  return acc
}

const t0 = performance.now()
console.log(await work(2))
console.log(`took ${performance.now() - t0} ms`)
