export * from './finding';
export * from './txt';
