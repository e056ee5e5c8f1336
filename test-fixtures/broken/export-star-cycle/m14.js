export * from './m15';
export * from './m16';
