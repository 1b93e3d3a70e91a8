import dgram from 'node:dgram';

// A UDP (layer 4) load balancer. UDP has no connections, so the balancer invents "sessions":
// the first datagram from a client address picks a backend, and later ones from that address
// follow it until the client goes quiet. This is what nginx `stream` does with `listen 53 udp`
// and what a NAT does for every UDP flow.

export interface BackendAddress {
  host: string;
  port: number;
}

export interface UdpBalancerConfig {
  backends: BackendAddress[];
  /** A session with no datagram either way for this long is forgotten. Default 30 000 ms. */
  idleMs?: number;
  /** The clock for idle expiry, in milliseconds. Default Date.now; tests pass a fake one. */
  now?: () => number;
}

export interface UdpBalancer {
  socket: dgram.Socket;
  close(): void;
}

interface Session {
  /** Our own socket towards the backend: its port tells the backend's replies apart per client. */
  upstream: dgram.Socket;
  lastSeen: number;
  /** Datagrams that arrived before connect() finished; null once connected. */
  queue: Buffer[] | null;
}

export function createUdpBalancer(config: UdpBalancerConfig): UdpBalancer {
  const now = config.now ?? Date.now;
  const idleMs = config.idleMs ?? 30_000;
  const socket = dgram.createSocket('udp4');
  // Keyed by the client's address and port: that pair is all a layer 4 balancer can see.
  const sessions = new Map<string, Session>();
  let next = 0;

  const expired = (s: Session) => now() - s.lastSeen >= idleMs;

  function end(key: string, s: Session): void {
    if (sessions.get(key) === s) sessions.delete(key);
    try {
      s.upstream.close();
    } catch {
      // already closed after an error
    }
  }

  function open(key: string, client: dgram.RemoteInfo): Session {
    const backend = config.backends[next]!;
    next = (next + 1) % config.backends.length;
    const upstream = dgram.createSocket('udp4');
    const session: Session = { upstream, lastSeen: now(), queue: [] };
    // A connected UDP socket only accepts datagrams from that backend: strangers are dropped.
    // connect() is asynchronous (it may look up a name), and send() throws until it is done;
    // if it fails, 'error' fires and the session ends.
    upstream.connect(backend.port, backend.host);
    upstream.once('connect', () => {
      for (const datagram of session.queue ?? []) upstream.send(datagram);
      session.queue = null;
    });
    upstream.on('message', (reply) => {
      session.lastSeen = now();
      // Replies leave from the balancer's own address, so the client only ever sees one server.
      socket.send(reply, client.port, client.address);
    });
    upstream.on('error', () => end(key, session));
    sessions.set(key, session);
    return session;
  }

  socket.on('message', (datagram, client) => {
    if (config.backends.length === 0) return; // nowhere to send it: UDP just drops
    const key = `${client.address}:${client.port}`;
    let session = sessions.get(key);
    if (session && expired(session)) {
      end(key, session);
      session = undefined;
    }
    session ??= open(key, client);
    session.lastSeen = now();
    if (session.queue) session.queue.push(datagram);
    else session.upstream.send(datagram);
  });
  socket.on('error', () => {});

  // Quiet clients never send the datagram that would expire them: sweep now and then, so their
  // sockets are closed too. unref(): a forgotten close() must not keep the process alive.
  const sweeper = setInterval(() => {
    for (const [key, s] of sessions) if (expired(s)) end(key, s);
  }, Math.min(idleMs, 10_000));
  sweeper.unref();

  return {
    socket,
    close() {
      clearInterval(sweeper);
      for (const [key, s] of sessions) end(key, s);
      try {
        socket.close();
      } catch {
        // already closed
      }
    },
  };
}
