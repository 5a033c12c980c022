const UNITS = ['B', 'KB', 'MB', 'GB']

function pad(n) {
  return n.toFixed(1)
}

module.exports.formatBytes = function (bytes) {
  let i = 0
  while (bytes >= 1024 && i < UNITS.length - 1) {
    bytes /= 1024
    i++
  }
  return pad(bytes) + ' ' + UNITS[i]
}
