import { readOrder } from '@libs/store';
import { notify } from '#queue';

export const handler = async (event: { id: string }) => {
  const order = await readOrder(event.id);
  await notify(order);
  return order;
};
