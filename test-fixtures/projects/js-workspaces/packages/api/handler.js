const { archive } = require('@acme/shared');
const { enqueue } = require('@acme/shared/queue');

exports.main = async (event) => {
  await archive(event.id);
  await enqueue(event.id);
};
