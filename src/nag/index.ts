export * from './gov-email-checks';
