/**
 * What a load balancer can read of one request, by the layer it works at and by what it does with
 * TLS. Pure data and rules, so the component, its script and the tests share one source of truth.
 *
 * The rules, in one paragraph: IP addresses and ports are always in the clear, because routers
 * need them. The server name (SNI) travels in the clear in the TLS ClientHello, so a balancer that
 * passes TLS through can still peek at it (unless Encrypted Client Hello hides it); one that
 * terminates TLS receives it as the TLS server. Everything inside the TLS records (request line,
 * headers, body) is ciphertext to anyone without the keys. A layer 4 balancer that does hold the
 * keys, or that carries plain HTTP, still copies those bytes without parsing them, so it cannot
 * route on them. Only a layer 7 balancer that terminates TLS (or sees plain HTTP) reads them.
 */

export type BalancerLayer = 'l4' | 'l7';
export type TlsHandling = 'passthrough' | 'terminate';
export type Scheme = 'https' | 'http';

/** How one field looks to the balancer. */
export type Visibility = 'readable' | 'peek' | 'unparsed' | 'opaque';

export type FieldId = 'ip' | 'port' | 'sni' | 'request-line' | 'host' | 'cookie' | 'body';

/** Which wrapper a field travels in, outermost first. */
export type Wrapper = 'ip' | 'tcp' | 'tls-handshake' | 'http';

export type ExampleRequest = {
  scheme: Scheme;
  method: string;
  path: string;
  host: string;
  cookie: string;
  /** An empty body is left out of the picture (a GET, say). */
  body: string;
  clientIp: string;
  clientPort: number;
  balancerIp: string;
  balancerPort: number;
};

export type Field = {
  id: FieldId;
  wrapper: Wrapper;
  /** Where the field sits, e.g. "TCP header". */
  where: string;
  label: string;
  value: string;
};

export type Mode = {
  layer: BalancerLayer;
  /** null for plain HTTP, where there is no TLS to pass through or terminate. */
  tls: TlsHandling | null;
  key: ModeKey;
  /** A short name, e.g. "Layer 4, TLS passed through". */
  label: string;
  /** Whether this is a set-up people really run; "layer 7 without the keys" is shown to explain why not. */
  realistic: boolean;
};

export type ModeKey = `${BalancerLayer}-${TlsHandling | 'plain'}`;

export const STATE_TEXT: Record<Visibility, string> = {
  readable: 'readable',
  peek: 'visible if it peeks',
  unparsed: 'passes through unparsed',
  opaque: 'encrypted',
};

export const LAYER_TEXT: Record<BalancerLayer, string> = { l4: 'Layer 4', l7: 'Layer 7' };
export const TLS_TEXT: Record<TlsHandling, string> = {
  passthrough: 'TLS passed through',
  terminate: 'TLS terminated at the balancer',
};

export function modeKey(layer: BalancerLayer, tls: TlsHandling | null): ModeKey {
  return `${layer}-${tls ?? 'plain'}`;
}

/** Every combination the toggles can produce, in the order the comparison table shows them. */
export function modes(scheme: Scheme): Mode[] {
  if (scheme === 'http') {
    return (['l4', 'l7'] as const).map((layer) => ({
      layer,
      tls: null,
      key: modeKey(layer, null),
      label: `${LAYER_TEXT[layer]}, plain HTTP`,
      realistic: true,
    }));
  }
  const combos: [BalancerLayer, TlsHandling, boolean][] = [
    ['l4', 'passthrough', true],
    ['l4', 'terminate', true],
    ['l7', 'terminate', true],
    ['l7', 'passthrough', false],
  ];
  return combos.map(([layer, tls, realistic]) => ({
    layer,
    tls,
    key: modeKey(layer, tls),
    label: `${LAYER_TEXT[layer]}, ${TLS_TEXT[tls]}`,
    realistic,
  }));
}

/** The request's fields on the wire, outermost wrapper first. */
export function requestFields(req: ExampleRequest): Field[] {
  const fields: Field[] = [
    { id: 'ip', wrapper: 'ip', where: 'IP header', label: 'Addresses', value: `${req.clientIp} → ${req.balancerIp}` },
    { id: 'port', wrapper: 'tcp', where: 'TCP header', label: 'Ports', value: `${req.clientPort} → ${req.balancerPort}` },
  ];
  if (req.scheme === 'https') {
    fields.push({ id: 'sni', wrapper: 'tls-handshake', where: 'TLS ClientHello', label: 'Server name (SNI)', value: req.host });
  }
  fields.push(
    { id: 'request-line', wrapper: 'http', where: 'HTTP', label: 'Method and path', value: `${req.method} ${req.path}` },
    { id: 'host', wrapper: 'http', where: 'HTTP', label: 'Host header', value: req.host },
    { id: 'cookie', wrapper: 'http', where: 'HTTP', label: 'Cookie header', value: req.cookie },
  );
  if (req.body !== '') fields.push({ id: 'body', wrapper: 'http', where: 'HTTP', label: 'Body', value: req.body });
  return fields;
}

/** How one field looks to a balancer in one mode, with a sentence saying why. */
export function visibility(field: FieldId, mode: Pick<Mode, 'layer' | 'tls'>): { state: Visibility; note: string } {
  if (field === 'ip') {
    return {
      state: 'readable',
      note:
        mode.layer === 'l4'
          ? 'In the clear for every router. Together with the ports, this is all an L4 balancer chooses by.'
          : 'Known from the client connection; an L7 balancer passes it on in X-Forwarded-For.',
    };
  }
  if (field === 'port') {
    return { state: 'readable', note: 'In the clear in every TCP segment. The destination port tells services apart.' };
  }
  if (field === 'sni') {
    return mode.tls === 'terminate'
      ? { state: 'readable', note: 'The balancer is the TLS server here: it receives the name and picks its certificate with it.' }
      : {
          state: 'peek',
          note: 'Sent in the clear in the ClientHello. A balancer that waits for it can route on it (nginx ssl_preread, HAProxy req.ssl_sni); Encrypted Client Hello hides it.',
        };
  }
  // The HTTP fields.
  if (mode.tls === 'passthrough') {
    return { state: 'opaque', note: 'Inside TLS records whose keys only the client and the backend hold.' };
  }
  if (mode.layer === 'l4') {
    return mode.tls === 'terminate'
      ? { state: 'unparsed', note: 'Decrypted, but never parsed: the balancer copies bytes on and cannot tell where this field starts.' }
      : { state: 'unparsed', note: 'In the clear on the wire, but the balancer copies the bytes without parsing them.' };
  }
  const notes: Record<Exclude<FieldId, 'ip' | 'port' | 'sni'>, string> = {
    'request-line': 'Parsed: it can send /api to one pool and everything else to another.',
    host: 'Parsed: one address can serve many sites (virtual hosts).',
    cookie: 'Parsed: a cookie can pin a client to one backend (sticky sessions).',
    body: 'Readable, but only once it has arrived: routing happens on the headers, and reading the body means buffering it.',
  };
  return { state: 'readable', note: notes[field] };
}

export type Verdict = {
  headline: string;
  /** What the balancer can choose a backend by. */
  routeBy: string[];
  /** Request details it cannot use. */
  cannot: string[];
  /** What follows from the set-up: connections, certificates, granularity. */
  consequences: string[];
};

export function verdict(mode: Pick<Mode, 'layer' | 'tls'>): Verdict {
  const l4Route = ['client address (for example a hash, so a client keeps its backend)', 'destination port'];
  const httpFields = ['Host header', 'path', 'method', 'cookies'];
  const key = modeKey(mode.layer, mode.tls);
  switch (key) {
    case 'l4-passthrough':
      return {
        headline: 'It sees addresses, ports and, if it peeks, the server name. The request itself is ciphertext.',
        routeBy: [...l4Route, 'server name (SNI), if it peeks at the ClientHello'],
        cannot: httpFields,
        consequences: [
          'One decision per TCP connection: every request on that connection goes to the same backend.',
          'The certificate and key stay on the backends; the balancer never decrypts anything.',
          'Any protocol works, because nothing is parsed.',
        ],
      };
    case 'l4-terminate':
      return {
        headline: 'It decrypts, but it still only balances connections: the plaintext passes through unparsed.',
        routeBy: [...l4Route, 'server name (SNI)'],
        cannot: httpFields,
        consequences: [
          'The balancer holds the certificate and key; backends get plain TCP or a new TLS connection.',
          'Still one decision per connection, because it never finds where one request ends and the next begins.',
        ],
      };
    case 'l7-terminate':
      return {
        headline: 'It reads the whole request, so it can choose a backend for each request.',
        routeBy: ['Host header', 'path and method', 'cookies (sticky sessions)', 'any other header', 'and still the address, port and SNI'],
        cannot: [],
        consequences: [
          'One decision per request: requests on one client connection can go to different backends.',
          'Two TCP connections, one on each side, and the balancer holds the certificate and key.',
          'It sees every password and cookie in plain text, and can add X-Forwarded-For, rewrite, cache and retry.',
        ],
      };
    case 'l7-passthrough':
      return {
        headline: 'Not a working set-up: without the keys an L7 balancer cannot read HTTP, so it is back to layer 4.',
        routeBy: [...l4Route, 'server name (SNI), if it peeks at the ClientHello'],
        cannot: httpFields,
        consequences: [
          'To route by path, Host or cookie it must terminate TLS: hold the certificate, then forward in plain text or re-encrypt.',
          'Keeping TLS end to end and routing on content are not possible at the same time.',
        ],
      };
    case 'l4-plain':
      return {
        headline: 'The request crosses in plain text, yet an L4 balancer never parses it.',
        routeBy: l4Route,
        cannot: httpFields,
        consequences: [
          'One decision per TCP connection.',
          'Anyone on the path can read and change this request: nothing is encrypted.',
        ],
      };
    case 'l7-plain':
      return {
        headline: 'It parses every request, so it can choose a backend for each one.',
        routeBy: ['Host header', 'path and method', 'cookies (sticky sessions)', 'any other header'],
        cannot: [],
        consequences: [
          'One decision per request, over two TCP connections.',
          'No certificate needed, and nothing is encrypted between the client and the balancer.',
        ],
      };
  }
}

/**
 * Text that looks like ciphertext: hex bytes derived from the value (FNV-1a), so the same input
 * always renders the same way on the server and in tests. Never a real encryption.
 */
export function ciphertext(value: string, bytes = 8): string {
  let h = 0x811c9dc5;
  const out: string[] = [];
  for (let i = 0; i < bytes; i++) {
    for (const ch of `${value}#${i}`) {
      h ^= ch.codePointAt(0)!;
      h = Math.imul(h, 0x01000193) >>> 0;
    }
    out.push((h & 0xff).toString(16).padStart(2, '0'));
  }
  return `${out.join(' ')} …`;
}

export type ViewRow = Field & { state: Visibility; note: string; shown: string };
export type View = { mode: Mode; rows: ViewRow[]; verdict: Verdict };

/** Everything one panel shows: each field with its state and the text to display, plus the verdict. */
export function view(req: ExampleRequest, mode: Mode): View {
  const rows = requestFields(req).map((f) => {
    const v = visibility(f.id, mode);
    return { ...f, ...v, shown: v.state === 'opaque' ? ciphertext(f.value) : f.value };
  });
  return { mode, rows, verdict: verdict(mode) };
}
