/**
 * A second floor for bench/check: the floor's work (the checker's DNS questions, each asked once
 * with EDNS0 and at most as many outstanding as the checker had, and its policy fetches, at most
 * as many connections at once), done by the cheapest Node.js program that does it, so the checker
 * can be compared with what Node.js itself costs as well as with dnsperf and curl. It shares no
 * code with the checker: questions are written with the dns-packet package and answers matched by
 * their id (as dnsperf), one UDP socket, no retransmission, and the fetches are node:https GETs on a new
 * connection each (as curl to hosts of different names), one TLS context for all (as the checker).
 * Nothing is evaluated.
 *
 *   node node-floor.js <queries file> <outstanding> <hosts file> <parallel> <dns port> <https port> <CA file> <timeout s>
 *                      [<MX hosts file> <smtp port> <probes at once>]
 *
 * The queries file has a line `<name> <TYPE>` per question (dnsperf's format), the hosts file a
 * policy host per line. With an MX hosts file it also makes the checker's STARTTLS probes, at
 * most as many at once as the checker had: connect, the greeting, EHLO, STARTTLS, the TLS
 * handshake with the host's name (the chain verified against the CA) and its certificate, then
 * QUIT written without waiting for the answer, as the checker does. Prints one JSON line:
 * answered, lost, fetched (status 200), failed, probed, probeFailures, and the milliseconds each
 * part took.
 */
import { createSocket } from 'node:dgram';
import { readFileSync } from 'node:fs';
import { RequestOptions, request } from 'node:https';
import { connect as connectTcp } from 'node:net';
import { performance } from 'node:perf_hooks';
import { SecureContext, connect as connectTls, createSecureContext } from 'node:tls';
import * as packet from 'dns-packet';

const [queriesFile, outstandingArg, hostsFile, parallelArg, dnsPortArg, httpsPortArg, caFile, timeoutArg] = process.argv.slice(2);
const [mxFile, smtpPortArg, probesArg] = process.argv.slice(10);
const outstanding = Number(outstandingArg);
const parallel = Number(parallelArg);
const dnsPort = Number(dnsPortArg);
const httpsPort = Number(httpsPortArg);
const timeoutMs = Number(timeoutArg) * 1000;
const start = performance.now();
/** One TLS context, with the CA, for every connection (as the checker has). */
const secureContext = createSecureContext({ ca: readFileSync(caFile) });

function askAll(): Promise<{ answered: number; lost: number; ms: number }> {
  const questions = readFileSync(queriesFile, 'utf8').split('\n').filter((l) => l.trim() !== '').map((l) => {
    const [name, type] = l.trim().split(/\s+/);
    return { name, type };
  });
  // A receive buffer as large as the checker's, so a burst of answers is not dropped by the kernel.
  const socket = createSocket({ type: 'udp4', recvBufferSize: 4 * 1024 * 1024 });
  const waiting = new Map<number, NodeJS.Timeout>();
  let next = 0;
  let answered = 0;
  let lost = 0;
  let id = 0;
  return new Promise((resolve) => {
    const done = () => {
      if (next >= questions.length && waiting.size === 0) {
        socket.close();
        resolve({ answered, lost, ms: performance.now() - start });
      }
    };
    const send = () => {
      while (waiting.size < outstanding && next < questions.length) {
        const q = questions[next++];
        id = (id + 1) % 0x10000;
        const qid = id;
        const buf = packet.encode({
          type: 'query',
          id: qid,
          flags: packet.RECURSION_DESIRED,
          questions: [{ name: q.name, type: q.type as packet.RecordType }],
          additionals: [{ type: 'OPT', name: '.', udpPayloadSize: 1232 } as packet.Answer],
        });
        waiting.set(qid, setTimeout(() => {
          waiting.delete(qid);
          lost++;
          send();
          done();
        }, timeoutMs));
        socket.send(buf, dnsPort, '127.0.0.1');
      }
    };
    socket.on('message', (msg) => {
      const qid = msg.readUInt16BE(0);
      const timer = waiting.get(qid);
      // As dnsperf: an answer is matched by its id, and not read further.
      if (timer === undefined) return;
      clearTimeout(timer);
      waiting.delete(qid);
      answered++;
      send();
      done();
    });
    socket.bind(0, '127.0.0.1', () => {
      send();
      done();
    });
  });
}

function fetchAll(): Promise<{ fetched: number; failed: number; ms: number }> {
  const hosts = readFileSync(hostsFile, 'utf8').split('\n').map((l) => l.trim()).filter((l) => l !== '');
  let next = 0;
  let fetched = 0;
  let failed = 0;
  let open = 0;
  return new Promise((resolve) => {
    const done = () => {
      if (next >= hosts.length && open === 0) resolve({ fetched, failed, ms: performance.now() - start });
    };
    const fetchNext = () => {
      while (open < parallel && next < hosts.length) {
        const host = hosts[next++];
        open++;
        const finish = (ok: boolean) => {
          open--;
          if (ok) fetched++;
          else failed++;
          fetchNext();
          done();
        };
        // node:https hands the options to tls.connect, which takes a context (its types do not say so).
        const options: RequestOptions & { secureContext: SecureContext } = {
          host: '127.0.0.1',
          port: httpsPort,
          servername: host,
          path: '/.well-known/mta-sts.txt',
          secureContext,
          headers: { host },
          agent: false,
          timeout: timeoutMs,
        };
        const req = request(options, (res) => {
          res.on('data', () => undefined);
          res.on('end', () => finish(res.statusCode === 200));
          res.on('error', () => finish(false));
        });
        req.on('timeout', () => req.destroy(new Error('timed out')));
        req.on('error', () => finish(false));
        req.end();
      }
    };
    fetchNext();
    done();
  });
}

/** One STARTTLS probe; resolves true when the TLS session was established. */
function probe(host: string, port: number): Promise<boolean> {
  return new Promise((resolve) => {
    let settled = false;
    const socket = connectTcp({ host: '127.0.0.1', port });
    const timer = setTimeout(() => finish(false), timeoutMs);
    function finish(ok: boolean): void {
      if (settled) return;
      settled = true;
      clearTimeout(timer);
      if (!ok) socket.destroy();
      resolve(ok);
    }
    let buffered = '';
    let step = 0;
    const onData = (chunk: Buffer) => {
      buffered += chunk.toString('latin1');
      // A reply is complete at a line whose code is followed by a space.
      const end = /(^|\r\n)\d{3} [^\r\n]*\r\n/.exec(buffered);
      if (end === null) return;
      const code = buffered.slice(end.index + end[1].length, end.index + end[1].length + 3);
      buffered = '';
      if (step === 0 && code === '220') {
        step = 1;
        socket.write('EHLO floor.invalid\r\n');
      } else if (step === 1 && code === '250') {
        step = 2;
        socket.write('STARTTLS\r\n');
      } else if (step === 2 && code === '220') {
        socket.removeListener('data', onData);
        const secure = connectTls({ socket, servername: host, secureContext }, () => {
          secure.getPeerCertificate();
          secure.end('QUIT\r\n');
          finish(true);
        });
        secure.on('error', () => finish(false));
      } else {
        finish(false);
      }
    };
    socket.on('data', onData);
    socket.on('error', () => finish(false));
    socket.on('close', () => finish(false));
  });
}

function probeAll(): Promise<{ probed: number; probeFailures: number; ms: number }> {
  if (mxFile === undefined) return Promise.resolve({ probed: 0, probeFailures: 0, ms: 0 });
  const hosts = readFileSync(mxFile, 'utf8').split('\n').map((l) => l.trim()).filter((l) => l !== '');
  const atOnce = Number(probesArg);
  let next = 0;
  let probed = 0;
  let probeFailures = 0;
  const worker = async () => {
    while (next < hosts.length) {
      if (await probe(hosts[next++], Number(smtpPortArg))) probed++;
      else probeFailures++;
    }
  };
  return Promise.all(Array.from({ length: atOnce }, worker)).then(() => ({ probed, probeFailures, ms: performance.now() - start }));
}

void Promise.all([askAll(), fetchAll(), probeAll()]).then(([dns, https, smtp]) => {
  process.stdout.write(`${JSON.stringify({
    answered: dns.answered,
    lost: dns.lost,
    dnsMs: dns.ms,
    fetched: https.fetched,
    failed: https.failed,
    httpsMs: https.ms,
    probed: smtp.probed,
    probeFailures: smtp.probeFailures,
    smtpMs: smtp.ms,
  })}\n`);
});
