/**
 * Running a custom resource's inline handler (its `Code.ZipFile`, as src/report-inbox/private/
 * inline-provider.ts writes it) in the test process: the one AWS SDK client it requires is a
 * stand-in that records each command's input (and fails when asked to), and `https` records the
 * response the handler sends to CloudFormation's pre-signed URL.
 */

/** The SDK client the handler requires, as a stand-in. */
export interface StubbedClient {
  /** The module the handler requires, e.g. `@aws-sdk/client-s3`. */
  readonly module: string;
  /** The client class's name, e.g. `S3Client`. */
  readonly client: string;
  /** The command class's name, e.g. `PutObjectCommand`. */
  readonly command: string;
  /** Every `send` throws this, when given. */
  readonly error?: Error;
}

/** What the handler did: the commands' inputs it sent, and the responses it sent to CloudFormation. */
export interface InlineHandlerRun {
  readonly sent: any[];
  readonly responses: Array<{ url: string; options: any; body: any }>;
}

/** Run `code`'s `handler` on a CloudFormation custom resource event (its console errors silenced). */
export async function runInlineHandler(code: string, stub: StubbedClient, event: Record<string, unknown>): Promise<InlineHandlerRun> {
  const sent: any[] = [];
  const responses: InlineHandlerRun['responses'] = [];
  class Command {
    constructor(public readonly input: unknown) {}
  }
  class Client {
    public async send(command: Command) {
      sent.push(command.input);
      if (stub.error) throw stub.error;
    }
  }
  const fakeRequire = (name: string) => {
    if (name === stub.module) return { [stub.client]: Client, [stub.command]: Command };
    if (name === 'https') {
      return {
        request: (url: string, options: unknown, callback: (response: unknown) => void) => ({
          on: () => undefined,
          end: (body: string) => {
            responses.push({ url, options, body: JSON.parse(body) });
            callback({ resume: () => undefined, on: (_event: string, done: () => void) => done() });
          },
        }),
      };
    }
    throw new Error(`unexpected require ${name}`);
  };
  const module = { exports: {} as { handler?: (event: unknown) => Promise<void> } };
  const quiet = jest.spyOn(console, 'error').mockImplementation(() => undefined);
  try {
    new Function('require', 'exports', 'module', 'Buffer', code)(fakeRequire, module.exports, module, Buffer);
    await module.exports.handler!({
      ResponseURL: 'https://cloudformation-custom-resource-response.example/response',
      StackId: 'stack-id',
      RequestId: 'request-id',
      ...event,
    });
  } finally {
    quiet.mockRestore();
  }
  return { sent, responses };
}
