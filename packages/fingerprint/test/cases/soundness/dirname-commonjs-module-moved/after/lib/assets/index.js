const path = require('node:path')

exports.assetsDir = function assetsDir() {
  return path.basename(__dirname)
}
