/**
 * The numbers the function sends to CloudWatch (unit Count, timestamped when read: CloudWatch
 * refuses data points more than two weeks old, and late reports are common).
 */
// The Lambda runtime provides the AWS SDK; the bundle keeps it external (a development dependency, as for the entry point).
import { MetricDatum, PutMetricDataCommand, StandardUnit } from '@aws-sdk/client-cloudwatch';
import { aws } from './clients';

/** PutMetricData takes up to 1,000 values a call; 20 a call keeps each request small. */
const METRICS_PER_CALL = 20;

/** Values added up by name and dimensions, put in one go. */
export class Metrics {
  private readonly values = new Map<string, { name: string; dimensions: Array<[string, string]>; value: number }>();

  /** Add to a metric (created at 0, so adding 0 puts a 0). */
  add(name: string, value: number, dimensions: Record<string, string> = {}): void {
    const dims = Object.entries(dimensions);
    const key = JSON.stringify([name, dims]);
    const entry = this.values.get(key) ?? { name, dimensions: dims, value: 0 };
    entry.value += value;
    this.values.set(key, entry);
  }

  /** The data, in a stable order: by name, then dimension values. */
  data(now: Date): MetricDatum[] {
    return [...this.values.values()]
      .sort((a, b) => a.name.localeCompare(b.name) || JSON.stringify(a.dimensions).localeCompare(JSON.stringify(b.dimensions)))
      .map((e) => ({
        MetricName: e.name,
        Value: e.value,
        Unit: StandardUnit.Count,
        Timestamp: now,
        Dimensions: e.dimensions.map(([Name, Value]) => ({ Name, Value })),
      }));
  }

  async put(namespace: string, now: Date): Promise<void> {
    const data = this.data(now);
    for (let i = 0; i < data.length; i += METRICS_PER_CALL) {
      await aws().cloudwatch.send(new PutMetricDataCommand({ Namespace: namespace, MetricData: data.slice(i, i + METRICS_PER_CALL) }));
    }
  }
}
