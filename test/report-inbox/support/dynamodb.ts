/**
 * An in-memory DynamoDB table behind aws-sdk-client-mock: PutItem, UpdateItem, GetItem and Query
 * with the parts of the expression language the inbox's ledger uses (`SET` with `if_not_exists`
 * and `+`, conditions with `attribute_exists`, `attribute_not_exists`, `=`, `<>`, `<`, `<=`, `>`,
 * `>=`, `AND`, `OR`, `NOT` and parentheses), evaluated as DynamoDB would, so the ledger's
 * conditional writes are tested for what they do, not for how they are spelled.
 */
import {
  AttributeValue, ConditionalCheckFailedException, DynamoDBClient, GetItemCommand, GetItemCommandInput, PutItemCommand,
  PutItemCommandInput, QueryCommand, QueryCommandInput, UpdateItemCommand, UpdateItemCommandInput,
} from '@aws-sdk/client-dynamodb';
import { AwsClientStub } from 'aws-sdk-client-mock';

type Item = Record<string, AttributeValue>;
type Names = Record<string, string> | undefined;
type Values = Record<string, AttributeValue> | undefined;

/** The table: items by `pk` and `sk`. */
export class MemoryTable {
  readonly items = new Map<string, Item>();
  /** Called before each write is applied: lets a test change the table in between (another invocation). */
  beforeWrite?: (command: string) => void;

  attach(mock: AwsClientStub<DynamoDBClient>): void {
    mock.on(PutItemCommand).callsFake((input: PutItemCommandInput) => this.put(input));
    mock.on(UpdateItemCommand).callsFake((input: UpdateItemCommandInput) => this.update(input));
    mock.on(GetItemCommand).callsFake((input: GetItemCommandInput) => ({ Item: this.items.get(keyOf(input.Key!)) }));
    mock.on(QueryCommand).callsFake((input: QueryCommandInput) => this.query(input));
  }

  get(pk: string, sk: string): Item | undefined {
    return this.items.get(`${pk}\u0000${sk}`);
  }

  private put(input: PutItemCommandInput) {
    this.beforeWrite?.('PutItem');
    const key = keyOf(input.Item!);
    const old = this.items.get(key);
    if (!holds(input.ConditionExpression, old ?? {}, input.ExpressionAttributeNames, input.ExpressionAttributeValues)) throw conditionFailed();
    this.items.set(key, structuredClone(input.Item!));
    return input.ReturnValues === 'ALL_OLD' && old !== undefined ? { Attributes: old } : {};
  }

  private update(input: UpdateItemCommandInput) {
    this.beforeWrite?.('UpdateItem');
    const key = keyOf(input.Key!);
    const old = this.items.get(key);
    const item: Item = structuredClone(old ?? { ...input.Key! });
    if (!holds(input.ConditionExpression, old ?? {}, input.ExpressionAttributeNames, input.ExpressionAttributeValues)) throw conditionFailed();
    const set = /^\s*SET\s+(.*)$/is.exec(input.UpdateExpression ?? '');
    if (set === null) throw new Error(`Only SET is supported: ${input.UpdateExpression}`);
    const updates = splitTop(set[1], ',').map((clause) => {
      const eq = clause.indexOf('=');
      const value = evaluate(clause.slice(eq + 1), old ?? {}, input.ExpressionAttributeNames, input.ExpressionAttributeValues);
      return [name(clause.slice(0, eq).trim(), input.ExpressionAttributeNames), value] as const;
    });
    for (const [n, v] of updates) item[n] = v as AttributeValue;
    this.items.set(key, item);
    return {};
  }

  private query(input: QueryCommandInput) {
    const m = /^\s*(#\w+|\w+)\s*=\s*(:\w+)\s*$/.exec(input.KeyConditionExpression ?? '');
    if (m === null) throw new Error(`Only pk = :v is supported: ${input.KeyConditionExpression}`);
    const pk = input.ExpressionAttributeValues![m[2]].S;
    const items = [...this.items.values()].filter((i) => i.pk.S === pk).sort((a, b) => (a.sk.S! < b.sk.S! ? -1 : 1));
    // Two items a page, so paging is exercised.
    const after = input.ExclusiveStartKey;
    const start = after === undefined ? 0 : items.findIndex((i) => keyOf(i) === keyOf(after)) + 1;
    const page = items.slice(start, start + 2);
    return { Items: page, ...(start + 2 < items.length ? { LastEvaluatedKey: { pk: page[page.length - 1].pk, sk: page[page.length - 1].sk } } : {}) };
  }
}

function holds(condition: string | undefined, item: Item, names: Names, values: Values): boolean {
  return condition === undefined || truthy(evaluate(condition, item, names, values));
}

function keyOf(item: Item): string {
  return `${item.pk.S}\u0000${item.sk.S}`;
}

function conditionFailed(): ConditionalCheckFailedException {
  return new ConditionalCheckFailedException({ message: 'The conditional request failed', $metadata: {} });
}

function name(token: string, names: Names): string {
  if (token.startsWith('#')) {
    const n = names?.[token];
    if (n === undefined) throw new Error(`Undefined name ${token}`);
    return n;
  }
  return token;
}

// ---- a small expression evaluator -----------------------------------------------------------

type Value = AttributeValue | boolean | undefined;

function truthy(v: Value): boolean {
  return v === true;
}

function tokenize(text: string): string[] {
  const out: string[] = [];
  const re = /\s*(<=|>=|<>|[()=<>+,-]|[#:]?[A-Za-z_]\w*)/y;
  let at = 0;
  while (text.slice(at).trim() !== '') {
    re.lastIndex = at;
    const m = re.exec(text);
    if (m === null) throw new Error(`Cannot read expression at ${at}: ${text}`);
    out.push(m[1]);
    at = re.lastIndex;
  }
  return out;
}

function evaluate(text: string, item: Item, names: Names, values: Values): Value {
  const tokens = tokenize(text);
  let i = 0;
  const peek = () => tokens[i];
  const next = () => tokens[i++];
  const expect = (t: string) => {
    if (next() !== t) throw new Error(`Expected ${t} in ${text}`);
  };
  const operand = (): Value => {
    const t = next();
    if (t === '(') {
      const v = or();
      expect(')');
      return v;
    }
    if (/^(attribute_exists|attribute_not_exists)$/i.test(t)) {
      expect('(');
      const n = name(next(), names);
      expect(')');
      return /^attribute_exists$/i.test(t) ? item[n] !== undefined : item[n] === undefined;
    }
    if (/^if_not_exists$/i.test(t)) {
      expect('(');
      const n = name(next(), names);
      expect(',');
      const fallback = sum();
      expect(')');
      return item[n] ?? fallback;
    }
    if (/^NOT$/i.test(t)) return !truthy(comparison());
    if (t.startsWith(':')) {
      const v = values?.[t];
      if (v === undefined) throw new Error(`Undefined value ${t}`);
      return v;
    }
    return item[name(t, names)];
  };
  const sum = (): Value => {
    let left = operand();
    while (peek() === '+' || peek() === '-') {
      const op = next();
      const right = operand();
      const l = Number((left as AttributeValue | undefined)?.N);
      const r = Number((right as AttributeValue | undefined)?.N);
      if (Number.isNaN(l) || Number.isNaN(r)) throw new Error(`Arithmetic on a missing or non-numeric value in ${text}`);
      left = { N: String(op === '+' ? l + r : l - r) };
    }
    return left;
  };
  const comparison = (): Value => {
    const left = sum();
    const op = peek();
    if (!['=', '<>', '<', '<=', '>', '>='].includes(op)) return left;
    next();
    const right = sum();
    return compare(left, op, right);
  };
  const and = (): Value => {
    let v = comparison();
    while (/^AND$/i.test(peek() ?? '')) {
      next();
      const r = comparison();
      v = truthy(v) && truthy(r);
    }
    return v;
  };
  const or = (): Value => {
    let v = and();
    while (/^OR$/i.test(peek() ?? '')) {
      next();
      const r = and();
      v = truthy(v) || truthy(r);
    }
    return v;
  };
  const result = or();
  if (i !== tokens.length) throw new Error(`Unread tokens in ${text}: ${tokens.slice(i).join(' ')}`);
  return result;
}

function compare(left: Value, op: string, right: Value): boolean {
  if (left === undefined || right === undefined || typeof left === 'boolean' || typeof right === 'boolean') return false;
  let l: number | string;
  let r: number | string;
  if (left.N !== undefined && right.N !== undefined) {
    l = Number(left.N);
    r = Number(right.N);
  } else if (left.S !== undefined && right.S !== undefined) {
    l = left.S;
    r = right.S;
  } else {
    return false;
  }
  switch (op) {
    case '=': return l === r;
    case '<>': return l !== r;
    case '<': return l < r;
    case '<=': return l <= r;
    case '>': return l > r;
    default: return l >= r;
  }
}

function splitTop(text: string, separator: string): string[] {
  const out: string[] = [];
  let depth = 0;
  let current = '';
  for (const c of text) {
    if (c === '(') depth++;
    if (c === ')') depth--;
    if (c === separator && depth === 0) {
      out.push(current);
      current = '';
    } else {
      current += c;
    }
  }
  out.push(current);
  return out;
}

