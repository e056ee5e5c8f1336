import axios from 'axios';  // auth(GetIndex): none -> none
import * as aws4 from 'aws4';

@Function({ type: 'http', path: '/', method: 'get', auth: 'none', environment: { API: 'https://api1.execute-api.us-east-1.amazonaws.com/prod/restaurants' } })
export default class GetIndex {
  async handler() {
    const opts = { host: 'api1.execute-api.us-east-1.amazonaws.com', path: '/prod/restaurants' };
    aws4.sign(opts);
    const res = await axios.get(process.env.API, { headers: opts.headers }); // iam: execute-api:Invoke api1/prod/GET/restaurants; edge(GetIndex): GetRestaurants http-sigv4
    return res.data;
  }
}
