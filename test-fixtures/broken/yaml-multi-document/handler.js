exports.main = async () => {}; exports.other = async () => {};
