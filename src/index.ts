export * from './records';
export * from './standard';
export * from './senders';
export * from './constructs';
export * from './nag';
export * from './report-inbox';
