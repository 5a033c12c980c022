async function report(total) {
  const { money } = await import('#format')
  return `total: ${money(total)}`
}

module.exports = { report }
