export * from './m19';
export * from './m20';
