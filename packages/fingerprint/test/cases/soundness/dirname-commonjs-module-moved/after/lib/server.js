const { assetsDir } = require('./assets')

function publicRoot() {
  return `${assetsDir()}/public`
}

module.exports = { publicRoot }
