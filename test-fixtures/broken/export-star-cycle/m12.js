export * from './m13';
export * from './m14';
