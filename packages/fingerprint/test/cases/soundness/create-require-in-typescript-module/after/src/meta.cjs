exports.name = 'acme-cli'
exports.version = '2.4.0'
