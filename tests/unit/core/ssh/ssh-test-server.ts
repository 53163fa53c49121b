// A real SSH peer for unit tests: ssh2's Server on 127.0.0.1 with its own host key, public-key and password
// users, an sshd-like MaxSessions limit, optional TCP forwarding (to act as a ProxyJump host), and a
// scripted command interpreter instead of a shell (the protocol is real; what a command prints is ours).
// Tests can drop every connection abruptly (socket destroyed, no SSH disconnect) or refuse new ones.
import net from 'node:net';
import { Server, utils, type Connection, type ParsedKey, type ServerChannel } from 'ssh2';

export interface TestKey {
  /** OpenSSH private key text (as ssh-keygen writes it). */
  private: string;
  public: string;
  parsed: ParsedKey;
  /** The public key blob, as a host key arrives in the client's hostVerifier. */
  blob: Buffer;
}

export function makeKey(passphrase?: string): TestKey {
  // ssh2 1.17's generator drops a leading zero byte of an ed25519 public key (about 1 key in 200), which
  // its own parser then rejects as malformed: generate until the pair is well-formed.
  for (;;) {
    const pair = passphrase
      ? utils.generateKeyPairSync('ed25519', { passphrase, cipher: 'aes256-ctr', rounds: 4 })
      : utils.generateKeyPairSync('ed25519');
    const parsed = utils.parseKey(pair.public);
    if (parsed instanceof Error) continue;
    const key = Array.isArray(parsed) ? (parsed[0] as ParsedKey) : parsed;
    return { private: pair.private, public: pair.public, parsed: key, blob: key.getPublicSSH() };
  }
}

export type CommandScript = (argv: string[], channel: ServerChannel) => void;

/** Undo shellCommand's quoting for the simple words tests use. */
function splitCommand(command: string): string[] {
  return (command.match(/'[^']*'|\S+/g) ?? []).map((w) => (w.startsWith("'") ? w.slice(1, -1) : w));
}

/**
 * Default commands: `echo WORDS...`, `sleep MS` (prints "slept"), `fail CODE MESSAGE`, `big BYTES`,
 * `hang` (never exits), `noexit` (closes without an exit status).
 */
export const defaultScript: CommandScript = (argv, ch) => {
  const [cmd, ...args] = argv;
  switch (cmd) {
    case 'echo':
      ch.write(`${args.join(' ')}\n`);
      ch.exit(0);
      ch.end();
      return;
    case 'sleep':
      setTimeout(() => {
        if (ch.destroyed) return;
        ch.write('slept\n');
        ch.exit(0);
        ch.end();
      }, Number(args[0]));
      return;
    case 'fail':
      ch.stderr.write(`${args.slice(1).join(' ')}\n`);
      ch.exit(Number(args[0]));
      ch.end();
      return;
    case 'big': {
      ch.write(Buffer.alloc(Number(args[0]), 'x'));
      ch.exit(0);
      ch.end();
      return;
    }
    case 'hang':
      return;
    case 'noexit':
      ch.end();
      return;
    default:
      ch.stderr.write(`${cmd}: command not found\n`);
      ch.exit(127);
      ch.end();
  }
};

export interface TestServerOptions {
  hostKey?: TestKey;
  users?: Record<string, { keys?: TestKey[]; password?: string }>;
  /** Session channels allowed at once per connection, like sshd's MaxSessions. */
  maxSessions?: number;
  /** Accept direct-tcpip (ProxyJump) channels and connect them to 127.0.0.1 targets. */
  allowForwarding?: boolean;
  script?: CommandScript;
}

export class TestSshServer {
  readonly hostKey: TestKey;
  port = 0;
  /** Every command line that reached exec, in order. */
  readonly commands: string[] = [];
  /** Every authentication attempt (method name), in order. */
  readonly authAttempts: string[] = [];
  /** TCP connections accepted, and how many completed authentication. */
  connections = 0;
  authenticated = 0;
  /** Session channels refused because of maxSessions. */
  refusedSessions = 0;
  /** Most session channels open at once on one connection. */
  peakSessions = 0;
  /** Forwarded (direct-tcpip) channels opened, as "host:port". */
  readonly forwards: string[] = [];
  refuseConnections = false;
  private readonly sockets = new Set<net.Socket>();
  private readonly tcp: net.Server;
  private readonly ssh: Server;

  constructor(private readonly options: TestServerOptions = {}) {
    this.hostKey = options.hostKey ?? makeKey();
    this.ssh = new Server({ hostKeys: [this.hostKey.private] }, (client) => this.onClient(client));
    this.tcp = net.createServer((socket) => {
      if (this.refuseConnections) return socket.destroy();
      this.connections++;
      this.sockets.add(socket);
      socket.on('close', () => this.sockets.delete(socket));
      socket.on('error', () => undefined);
      this.ssh.injectSocket(socket);
    });
  }

  async start(): Promise<this> {
    await new Promise<void>((resolve) => this.tcp.listen(0, '127.0.0.1', resolve));
    this.port = (this.tcp.address() as net.AddressInfo).port;
    return this;
  }

  /** Destroy every connection's socket: the client sees the connection drop mid-whatever. */
  dropAll(): void {
    for (const s of this.sockets) s.destroy();
  }

  async stop(): Promise<void> {
    this.dropAll();
    await new Promise<void>((resolve) => this.tcp.close(() => resolve()));
  }

  private onClient(client: Connection): void {
    const users = this.options.users ?? {};
    let sessions = 0;
    client.on('error', () => undefined);
    client.on('authentication', (ctx) => {
      this.authAttempts.push(ctx.method);
      const user = users[ctx.username];
      if (ctx.method === 'publickey' && user?.keys) {
        const key = user.keys.find((k) => k.parsed.type === ctx.key.algo && k.blob.equals(ctx.key.data));
        if (key) {
          if (!ctx.signature) return ctx.accept(); // the "would you accept this key?" query
          if (ctx.blob && key.parsed.verify(ctx.blob, ctx.signature, ctx.hashAlgo) === true) return ctx.accept();
        }
      }
      if (ctx.method === 'password' && user?.password !== undefined && ctx.password === user.password) return ctx.accept();
      const methods: ('publickey' | 'password')[] = ['publickey'];
      if (Object.values(users).some((u) => u.password !== undefined)) methods.push('password');
      ctx.reject(methods);
    });
    client.on('ready', () => {
      this.authenticated++;
      client.on('session', (accept, reject) => {
        if (this.options.maxSessions !== undefined && sessions >= this.options.maxSessions) {
          this.refusedSessions++;
          return reject();
        }
        sessions++;
        this.peakSessions = Math.max(this.peakSessions, sessions);
        const session = accept();
        let counted = true;
        const done = () => {
          if (counted) sessions--;
          counted = false;
        };
        session.on('close', done);
        session.on('exec', (acceptExec, _rejectExec, info) => {
          this.commands.push(info.command);
          const ch = acceptExec();
          ch.on('close', done);
          (this.options.script ?? defaultScript)(splitCommand(info.command), ch);
        });
      });
      client.on('tcpip', (accept, reject, info) => {
        if (!this.options.allowForwarding) return reject();
        this.forwards.push(`${info.destIP}:${info.destPort}`);
        const upstream = net.connect(info.destPort, info.destIP);
        upstream.on('error', () => reject());
        upstream.once('connect', () => {
          const ch = accept();
          ch.pipe(upstream).pipe(ch);
          ch.on('close', () => upstream.destroy());
          upstream.on('close', () => ch.destroy());
        });
      });
    });
  }
}
