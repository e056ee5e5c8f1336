exports.handler = async (event) => {
  const x = {;
};
