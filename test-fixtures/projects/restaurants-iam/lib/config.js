module.exports.defaultResults = 8;
