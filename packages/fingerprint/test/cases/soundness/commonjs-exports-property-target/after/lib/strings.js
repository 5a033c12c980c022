'use strict'

exports.capitalize = function capitalize(s) {
  return s.replace(/\b\w/g, c => c.toUpperCase())
}

exports.kebab = function kebab(s) {
  return s.replace(/\s+/g, '-')
}
