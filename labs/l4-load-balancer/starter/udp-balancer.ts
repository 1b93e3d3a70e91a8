import dgram from 'node:dgram';

// Stage 5: a UDP (layer 4) load balancer. The tests call createUdpBalancer(config), bind
// `socket` to 127.0.0.1 on a random port, send it datagrams, and call close() when done.
// UDP has no connections, so you keep "sessions": one per client address and port.
// Needs real UDP: run it with `npm start` or `hop grade`, not in the browser.

/** Where a backend listens, e.g. `{ host: '127.0.0.1', port: 5301 }`. */
export interface BackendAddress {
  host: string;
  port: number;
}

export interface UdpBalancerConfig {
  backends: BackendAddress[];
  /**
   * A session with no datagram in either direction for this many milliseconds is over: the
   * client's next datagram starts a new session (and may reach another backend). Default 30 000.
   */
  idleMs?: number;
  /**
   * The current time in milliseconds; default `Date.now`. Measure idleness only with this: the
   * tests move a fake clock instead of waiting. Check a session's age when its client sends.
   */
  now?: () => number;
}

export interface UdpBalancer {
  /** Not bound yet: the tests call `socket.bind(0, '127.0.0.1')` themselves. */
  socket: dgram.Socket;
  /** Closes `socket` and every socket you opened towards the backends. */
  close(): void;
}

/**
 * Builds the balancer: each new client address gets the next backend in turn (round robin) and
 * its own socket towards it; datagrams from the client go out through that socket, and the
 * backend's replies come back in on it and are sent to the client from `socket`.
 */
export function createUdpBalancer(config: UdpBalancerConfig): UdpBalancer {
  // TODO: a Map from "address:port" to the session (its upstream socket, when it was last used).
  void config;

  const socket = dgram.createSocket('udp4');
  socket.on('message', (datagram, client) => {
    // TODO: find or open the client's session and send the datagram on to its backend.
    void datagram;
    void client;
  });

  return {
    socket,
    close() {
      // TODO: close the session sockets too.
      try {
        socket.close();
      } catch {
        // already closed
      }
    },
  };
}
