/**
 * The inbox's ledger, one DynamoDB table (partition key `pk`, sort key `sk`, TTL `expiresAt`):
 *
 * - `report#<sha256 of kind|reporter|reportId|domain>` / `-`: a report stored, by the message it
 *   came in (`messageKey`), so a resent report is stored and counted once, while a retried
 *   invocation for the same message is not taken for a duplicate of itself; with the rows and
 *   bytes it was granted, so a retry does not spend the reporter's budget twice.
 * - `budget#<yyyy-mm-dd>` / `<reporter key>`: the rows and bytes stored for a reporter that day,
 *   raised only by conditional updates, so two invocations at once cannot overspend it.
 * - `seen` / `<domain>`: when an authenticated aggregate report about the domain last arrived
 *   (`at`), and when the daily sweep first found the domain listed (`listedAt`).
 */
import { createHash } from 'node:crypto';
// The Lambda runtime provides the AWS SDK; the bundle keeps it external (a development dependency, as for the entry point).
import { AttributeValue, ConditionalCheckFailedException, GetItemCommand, PutItemCommand, QueryCommand, UpdateItemCommand } from '@aws-sdk/client-dynamodb';
import { aws } from './clients';

/** How long a report's entry is kept: reporters resend within days. */
const REPORT_TTL_DAYS = 60;
/** How long a day's budget is kept. */
const BUDGET_TTL_DAYS = 3;
/** How often a budget update is tried again when another invocation changed it in between. */
const BUDGET_ATTEMPTS = 8;

/** The ledger id of a report object: a hash, so nothing a sender wrote reaches the key. */
export function reportLedgerId(kind: string, reporter: string, reportId: string, domain: string): string {
  return createHash('sha256').update([kind, reporter, reportId, domain].join('|')).digest('hex');
}

/** What claiming a report found. */
export interface ReportClaim {
  /** Another message already stored this report. */
  readonly duplicate: boolean;
  /** What an earlier attempt for this same message was granted, if it got that far. */
  readonly granted?: { readonly rows: number; readonly bytes: number };
}

/** How much of a reporter's day a report may use. */
export interface Grant {
  readonly rows: number;
  readonly bytes: number;
  /** Which of the reporter's bounds cut the report short, if one did. */
  readonly limitedBy?: 'reporter-rows' | 'reporter-bytes';
}

/** The longest prefix of a report's rows that fits in so many rows and bytes. */
export type Fit = (rowsLeft: number, bytesLeft: number) => { rows: number; bytes: number };

/** A domain's last-seen entry. */
export interface SeenDomain {
  readonly domain: string;
  /** The last authenticated aggregate report, ISO time. */
  readonly at?: string;
  /** When the sweep first found the domain listed, ISO time. */
  readonly listedAt?: string;
}

const S = (v: string): AttributeValue => ({ S: v });
const N = (v: number): AttributeValue => ({ N: String(v) });
const epoch = (now: Date, days: number) => Math.floor(now.getTime() / 1000) + days * 86_400;
const num = (v: AttributeValue | undefined) => (v?.N === undefined ? 0 : Number(v.N));

export class Ledger {
  constructor(private readonly table: string) {}

  /**
   * Claim a report for a message: a conditional put that succeeds when no message stored the
   * report before, or when this same message did (a retried invocation).
   */
  async claimReport(id: string, messageKey: string, now: Date): Promise<ReportClaim> {
    try {
      const out = await aws().dynamodb.send(new PutItemCommand({
        TableName: this.table,
        Item: { pk: S(`report#${id}`), sk: S('-'), messageKey: S(messageKey), at: S(now.toISOString()), expiresAt: N(epoch(now, REPORT_TTL_DAYS)) },
        ConditionExpression: 'attribute_not_exists(#pk) OR #messageKey = :messageKey',
        ExpressionAttributeNames: { '#pk': 'pk', '#messageKey': 'messageKey' },
        ExpressionAttributeValues: { ':messageKey': S(messageKey) },
        ReturnValues: 'ALL_OLD',
      }));
      const old = out.Attributes;
      if (old?.grantedRows !== undefined && old.grantedBytes !== undefined) {
        return { duplicate: false, granted: { rows: num(old.grantedRows), bytes: num(old.grantedBytes) } };
      }
      return { duplicate: false };
    } catch (err) {
      if (err instanceof ConditionalCheckFailedException || (err as Error).name === 'ConditionalCheckFailedException') return { duplicate: true };
      throw err;
    }
  }

  /** Record on a report's entry what it was granted, for a retry of the same message. */
  async recordGrant(id: string, grant: { rows: number; bytes: number }): Promise<void> {
    await aws().dynamodb.send(new UpdateItemCommand({
      TableName: this.table,
      Key: { pk: S(`report#${id}`), sk: S('-') },
      UpdateExpression: 'SET #grantedRows = :rows, #grantedBytes = :bytes',
      ExpressionAttributeNames: { '#grantedRows': 'grantedRows', '#grantedBytes': 'grantedBytes' },
      ExpressionAttributeValues: { ':rows': N(grant.rows), ':bytes': N(grant.bytes) },
    }));
  }

  /**
   * Take rows and bytes from a reporter's budget for the day: all the report's rows when they
   * fit (one conditional update), else the longest prefix that fits in what is left, by an
   * update conditional on the amounts read, tried again if another invocation moved them.
   */
  async reserve(day: string, reporter: string, want: { rows: number; bytes: number }, fit: Fit,
    limits: { rows: number; bytes: number }, now: Date): Promise<Grant> {
    if (want.rows === 0) return { rows: 0, bytes: 0 };
    const key = { pk: S(`budget#${day}`), sk: S(reporter) };
    const names = { '#rows': 'rows', '#bytes': 'bytes', '#expiresAt': 'expiresAt' };
    const add = (rows: number, bytes: number, condition: string, values: Record<string, AttributeValue>) => new UpdateItemCommand({
      TableName: this.table,
      Key: key,
      UpdateExpression: 'SET #rows = if_not_exists(#rows, :zero) + :rows, #bytes = if_not_exists(#bytes, :zero) + :bytes, #expiresAt = :expiresAt',
      ConditionExpression: condition,
      ExpressionAttributeNames: names,
      ExpressionAttributeValues: { ':zero': N(0), ':rows': N(rows), ':bytes': N(bytes), ':expiresAt': N(epoch(now, BUDGET_TTL_DAYS)), ...values },
    });
    if (want.rows <= limits.rows && want.bytes <= limits.bytes) {
      try {
        await aws().dynamodb.send(add(want.rows, want.bytes,
          '(attribute_not_exists(#rows) OR #rows <= :rowsRoom) AND (attribute_not_exists(#bytes) OR #bytes <= :bytesRoom)',
          { ':rowsRoom': N(limits.rows - want.rows), ':bytesRoom': N(limits.bytes - want.bytes) }));
        return { rows: want.rows, bytes: want.bytes };
      } catch (err) {
        if (!isConditionFailure(err)) throw err;
      }
    }
    for (let attempt = 0; attempt < BUDGET_ATTEMPTS; attempt++) {
      const current = await aws().dynamodb.send(new GetItemCommand({ TableName: this.table, Key: key, ConsistentRead: true }));
      const usedRows = num(current.Item?.rows);
      const usedBytes = num(current.Item?.bytes);
      const rowsLeft = Math.max(0, limits.rows - usedRows);
      const bytesLeft = Math.max(0, limits.bytes - usedBytes);
      const part = fit(rowsLeft, bytesLeft);
      const limitedBy = part.rows >= want.rows ? undefined : part.rows >= rowsLeft ? 'reporter-rows' : 'reporter-bytes';
      if (part.rows === 0) return { rows: 0, bytes: 0, ...(limitedBy ? { limitedBy } : {}) };
      try {
        await aws().dynamodb.send(add(part.rows, part.bytes,
          current.Item === undefined ? 'attribute_not_exists(#rows)' : '#rows = :usedRows AND #bytes = :usedBytes',
          current.Item === undefined ? {} : { ':usedRows': N(usedRows), ':usedBytes': N(usedBytes) }));
        return { rows: part.rows, bytes: part.bytes, ...(limitedBy ? { limitedBy } : {}) };
      } catch (err) {
        if (!isConditionFailure(err)) throw err;
      }
    }
    throw new Error(`The budget of ${reporter} for ${day} kept changing; the invocation fails so Lambda tries it again`);
  }

  /** Record that an authenticated aggregate report about a domain arrived (the latest time wins). */
  async markSeen(domain: string, at: Date): Promise<void> {
    try {
      await aws().dynamodb.send(new UpdateItemCommand({
        TableName: this.table,
        Key: { pk: S('seen'), sk: S(domain) },
        UpdateExpression: 'SET #at = :at',
        ConditionExpression: 'attribute_not_exists(#at) OR #at < :at',
        ExpressionAttributeNames: { '#at': 'at' },
        ExpressionAttributeValues: { ':at': S(at.toISOString()) },
      }));
    } catch (err) {
      if (!isConditionFailure(err)) throw err;
    }
  }

  /** Record when a domain was first found listed (kept if already recorded). */
  async markListed(domain: string, at: Date): Promise<void> {
    await aws().dynamodb.send(new UpdateItemCommand({
      TableName: this.table,
      Key: { pk: S('seen'), sk: S(domain) },
      UpdateExpression: 'SET #listedAt = if_not_exists(#listedAt, :at)',
      ExpressionAttributeNames: { '#listedAt': 'listedAt' },
      ExpressionAttributeValues: { ':at': S(at.toISOString()) },
    }));
  }

  /** Every domain's last-seen entry. */
  async seenDomains(): Promise<SeenDomain[]> {
    const out: SeenDomain[] = [];
    let start: Record<string, AttributeValue> | undefined;
    do {
      const page = await aws().dynamodb.send(new QueryCommand({
        TableName: this.table,
        KeyConditionExpression: '#pk = :pk',
        ExpressionAttributeNames: { '#pk': 'pk' },
        ExpressionAttributeValues: { ':pk': S('seen') },
        ConsistentRead: true,
        ...(start === undefined ? {} : { ExclusiveStartKey: start }),
      }));
      for (const item of page.Items ?? []) {
        if (item.sk?.S === undefined) continue;
        out.push({ domain: item.sk.S, ...(item.at?.S ? { at: item.at.S } : {}), ...(item.listedAt?.S ? { listedAt: item.listedAt.S } : {}) });
      }
      start = page.LastEvaluatedKey;
    } while (start !== undefined);
    return out;
  }
}

function isConditionFailure(err: unknown): boolean {
  return err instanceof ConditionalCheckFailedException || (err as Error | undefined)?.name === 'ConditionalCheckFailedException';
}
