export * from './m16';
export * from './m17';
