/**
 * The regions where Amazon SES receives email, each with the inbound endpoint an MX record
 * points at (`inbound-smtp.<region>.amazonaws.com`).
 *
 * From the AWS General Reference, "Amazon Simple Email Service endpoints and quotas", table
 * "Email receiving endpoints" (as published in 2024). SES adds regions from time to time: when
 * it does, add the region here (and a test), since `SES-RECEIVING-REGION` refuses the others.
 * @internal
 */
export const SES_RECEIVING_REGIONS: readonly string[] = [
  'us-east-1',
  'us-east-2',
  'us-west-2',
  'ca-central-1',
  'eu-central-1',
  'eu-west-1',
  'eu-west-2',
  'ap-northeast-1',
  'ap-southeast-1',
  'ap-southeast-2',
  'ap-southeast-3',
];

/**
 * The MX exchange of SES inbound email in a region. The region may be a token; then so is the host.
 * @internal
 */
export function sesInboundHost(region: string): string {
  return `inbound-smtp.${region}.amazonaws.com`;
}
