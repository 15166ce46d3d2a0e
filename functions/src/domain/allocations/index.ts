export * from './currency';
export * from './month';
export * from './summary';
