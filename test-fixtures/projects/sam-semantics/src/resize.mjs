export const handler = async () => ({ resized: true });
