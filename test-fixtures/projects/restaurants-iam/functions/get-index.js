const axios = require('axios');
const aws4 = require('aws4');
const { URL } = require('url');

const restaurantsApiRoot = process.env.restaurants_api;

async function getRestaurants() {
  const url = new URL(restaurantsApiRoot);
  const opts = { host: url.hostname, path: url.pathname };
  aws4.sign(opts);
  const res = await axios.get(restaurantsApiRoot, { headers: opts.headers }); // iam: execute-api:Invoke ${ApiGatewayRestApi}/${sls:stage}/GET/restaurants; edge(get-index): get-restaurants http-sigv4
  return res.data;
}

module.exports.handler = async () => {
  const restaurants = await getRestaurants();
  return { statusCode: 200, body: JSON.stringify(restaurants) };
};
