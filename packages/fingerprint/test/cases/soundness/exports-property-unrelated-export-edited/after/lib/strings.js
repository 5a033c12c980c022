'use strict'

exports.capitalize = function capitalize(s) {
  return s.charAt(0).toUpperCase() + s.slice(1)
}

exports.kebab = function kebab(s) {
  return s.trim().toLowerCase().replace(/\s+/g, '-')
}
