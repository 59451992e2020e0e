import { spawn } from 'node:child_process';
import type { Credentials } from './credentials.js';

/**
 * Docker credential helpers: `docker-credential-NAME get` reads the server URL on stdin and
 * prints {"Username", "Secret"}; a Username of "<token>" means Secret is an identity token.
 * Answers `undefined` when the helper has no credentials for that server.
 */

const TIMEOUT_MS = 30_000;
const MAX_OUTPUT = 64 << 10;

export class CredentialHelperError extends Error {
  override readonly name = 'CredentialHelperError';
}

export async function helperCredentials(helper: string, serverUrl: string): Promise<Credentials | undefined> {
  const program = `docker-credential-${helper}`;
  const { code, stdout } = await run(program, serverUrl);
  if (code !== 0) {
    if (/credentials not found/i.test(stdout)) return undefined;
    throw new CredentialHelperError(`${program} get failed (exit code ${code})`);
  }
  let doc: unknown;
  try {
    doc = JSON.parse(stdout);
  } catch {
    throw new CredentialHelperError(`${program} get printed something that is not JSON`);
  }
  const { Username, Secret } = (typeof doc === 'object' && doc !== null ? doc : {}) as Record<
    string,
    unknown
  >;
  if (typeof Secret !== 'string' || Secret === '') return undefined;
  if (Username === '<token>') return { identityToken: Secret };
  if (typeof Username !== 'string') throw new CredentialHelperError(`${program} get printed no Username`);
  return { username: Username, password: Secret };
}

function run(program: string, input: string): Promise<{ code: number; stdout: string }> {
  return new Promise((resolve, reject) => {
    const child = spawn(program, ['get'], { stdio: ['pipe', 'pipe', 'ignore'], timeout: TIMEOUT_MS });
    const chunks: Buffer[] = [];
    let size = 0;
    child.stdout.on('data', (c: Buffer) => {
      size += c.length;
      if (size > MAX_OUTPUT) child.kill('SIGKILL');
      else chunks.push(c);
    });
    child.on('error', (err: NodeJS.ErrnoException) =>
      reject(
        new CredentialHelperError(
          err.code === 'ENOENT'
            ? `${program} is not installed (not found on PATH)`
            : `${program}: ${err.code ?? err.message}`,
        ),
      ),
    );
    child.on('close', (code, signal) => {
      if (size > MAX_OUTPUT)
        reject(new CredentialHelperError(`${program} printed more than ${MAX_OUTPUT} bytes`));
      else if (signal) reject(new CredentialHelperError(`${program} was killed (${signal})`));
      else resolve({ code: code ?? 1, stdout: Buffer.concat(chunks).toString('utf8') });
    });
    child.stdin.on('error', () => {});
    child.stdin.end(input);
  });
}
