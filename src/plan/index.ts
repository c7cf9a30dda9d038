export * from './planned-record';
export * from './domain-plan';
export * from './posture-of';
