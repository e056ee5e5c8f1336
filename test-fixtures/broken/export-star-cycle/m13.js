export * from './m14';
export * from './m15';
