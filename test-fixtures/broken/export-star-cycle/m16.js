export * from './m17';
export * from './m18';
