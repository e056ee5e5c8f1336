const helper = require('./does-not-exist'); // diag: missing-module

exports.handler = async () => helper.run();
