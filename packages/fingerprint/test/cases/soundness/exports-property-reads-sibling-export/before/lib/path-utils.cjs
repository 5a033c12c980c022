exports.trimSlashes = function (s) {
  return s.replace(/^\/+|\/+$/g, '')
}

exports.joinUrl = function (...parts) {
  return parts.map(exports.trimSlashes).join('/')
}
