export const handler = async (event: any) => {
  let = ;
};
