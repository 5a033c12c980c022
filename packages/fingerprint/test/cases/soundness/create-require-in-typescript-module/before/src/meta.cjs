exports.name = 'acme-cli'
exports.version = '2.3.0'
