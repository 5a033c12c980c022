exports.money = function money(n) { return n.toFixed(2) }
