export const TABLE = process.env.USERS_TABLE;
