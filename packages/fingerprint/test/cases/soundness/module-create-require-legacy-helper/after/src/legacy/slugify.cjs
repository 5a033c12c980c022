module.exports = function slugify(s) {
  return s.trim().toLowerCase().split(/\s+/).join('_')
}
