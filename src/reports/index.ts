/**
 * The DMARC and TLS-RPT report parser shared by the ReportInbox function and `gov-email reports`.
 * CDK-free, and not part of the package's public API.
 */
export * from './limits';
export * from './model';
export * from './message';
export * from './rows';
export * from './summary';
export * from './report-rules';
export * from './sources';
