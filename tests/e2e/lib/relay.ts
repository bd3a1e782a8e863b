import net from 'node:net';

// A TCP relay on 127.0.0.1 between the browser and Prosody's wss port, that a test can cut,
// stall and restore: the faults of a train, a sleeping laptop or a NAT that forgets. TLS passes
// through untouched (the browser still talks to Prosody's certificate). Test use only.

type Pair = { client: net.Socket; server: net.Socket };

/** Prosody's wss port, which the relay forwards to. */
export const PROSODY_WSS_PORT = Number(new URL(process.env.PARLEY_TEST_WSS_URL ?? 'wss://localhost:5444/').port);

/** Chromium logs each refused or dropped websocket itself: through the relay that is expected,
 * so those lines leave the test's problems (nothing else does). */
export function ignoreRelayErrors(problems: string[], relay: Relay): void {
  const expected = new RegExp(`WebSocket connection to 'wss://localhost:${relay.port}/xmpp-websocket' failed`);
  problems.splice(0, problems.length, ...problems.filter((p) => !expected.test(p)));
}

export class Relay {
  private pairs = new Set<Pair>();
  private down = false;
  /** Connections the relay accepted, and cuts it made: printed by the tests. */
  accepted = 0;
  cuts = 0;

  private constructor(
    private readonly listener: net.Server,
    readonly port: number,
    private readonly target: number,
  ) {}

  static async start(targetPort: number): Promise<Relay> {
    const listener = net.createServer();
    await new Promise<void>((resolve) => listener.listen(0, '127.0.0.1', resolve));
    const port = (listener.address() as net.AddressInfo).port;
    const relay = new Relay(listener, port, targetPort);
    listener.on('connection', (client) => relay.accept(client));
    return relay;
  }

  /** The websocket URL through the relay. */
  get url(): string {
    return `wss://localhost:${this.port}/xmpp-websocket`;
  }

  private accept(client: net.Socket): void {
    if (this.down) {
      client.destroy();
      return;
    }
    this.accepted += 1;
    const server = net.connect(this.target, '127.0.0.1');
    const pair = { client, server };
    this.pairs.add(pair);
    client.pipe(server);
    server.pipe(client);
    const end = () => {
      client.destroy();
      server.destroy();
      this.pairs.delete(pair);
    };
    client.on('error', end).on('close', end);
    server.on('error', end).on('close', end);
  }

  /** Drops every connection without a word, as a dead link does; new ones are refused until
   * [`restore`]. */
  cut(): void {
    this.cuts += 1;
    this.down = true;
    for (const { client, server } of this.pairs) {
      client.destroy();
      server.destroy();
    }
    this.pairs.clear();
  }

  /** Stops passing bytes both ways without closing anything: the link hangs. */
  stall(): void {
    for (const { client, server } of this.pairs) {
      client.unpipe(server);
      server.unpipe(client);
      client.pause();
      server.pause();
    }
  }

  /** New connections are accepted again, and stalled ones flow again. */
  restore(): void {
    this.down = false;
    for (const { client, server } of this.pairs) {
      client.pipe(server);
      server.pipe(client);
      client.resume();
      server.resume();
    }
  }

  async close(): Promise<void> {
    this.cut();
    await new Promise<void>((resolve) => this.listener.close(() => resolve()));
  }
}
