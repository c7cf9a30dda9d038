export * from './ses-sending-identity';
export * from './parked-domain';
export * from './null-mx-record';
export * from './hosted-zone';
