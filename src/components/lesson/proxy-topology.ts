/**
 * The forward-vs-reverse proxy picture as data: two panels, each with clients, the internet, a
 * proxy and servers, the traffic between them, the boundary of whoever runs the proxy, and three
 * kinds of annotation a reader can focus on. Pure, so tests can check the geometry and the facts
 * without rendering, and the component only draws what this returns.
 */

export type Focus = 'all' | 'config' | 'addresses' | 'shield';
export type Aspect = Exclude<Focus, 'all'>;

export const FOCI: { key: Focus; label: string }[] = [
  { key: 'all', label: 'Everything' },
  { key: 'config', label: 'Who is configured to use whom' },
  { key: 'addresses', label: 'Who sees whose address' },
  { key: 'shield', label: 'Whom the proxy works for' },
];

export type NodeKind = 'clients' | 'proxy' | 'internet' | 'servers';

export type TopoNode = {
  id: string;
  kind: NodeKind;
  x: number;
  y: number;
  label: string;
  /** Groups (clients, servers) draw one small box per item. */
  items?: string[];
  sub?: string;
};

export type TopoArrow = { from: string; to: string };

export type Annotation = {
  aspect: Aspect;
  x: number;
  y: number;
  anchor: 'start' | 'middle' | 'end';
  lines: string[];
};

/** A dashed "is configured to send to" line, drawn over the nodes it joins. */
export type ConfigLink = { from: string; to: string; y: number };

export type Panel = {
  key: 'forward' | 'reverse';
  title: string;
  /** Top of the panel in the SVG. */
  top: number;
  height: number;
  boundary: { x: number; y: number; w: number; h: number; label: string };
  nodes: TopoNode[];
  arrows: TopoArrow[];
  config: ConfigLink[];
  annotations: Annotation[];
};

export type Topology = { width: number; height: number; panels: Panel[] };

export const WIDTH = 720;
const PANEL = 290;
const GAP = 18;
/** Vertical centre of the nodes inside a panel. */
const MID = 162;
/** A group is a box with its label on top and one small box per item below it. */
export const GROUP_BOX = { w: 118, h: 22, gap: 5, header: 22, pad: 7 };
export const PROXY_BOX = { w: 132, h: 58 };
export const CLOUD = { rx: 56, ry: 30 };

export type TopologyOptions = { site: string; forwardProxy: string; reverseProxy: string };

export function topology(o: TopologyOptions): Topology {
  const forwardTop = 0;
  const reverseTop = PANEL + GAP;
  const y = (top: number, dy: number) => top + dy;

  const forward: Panel = {
    key: 'forward',
    title: 'Forward proxy: works for the clients',
    top: forwardTop,
    height: PANEL,
    boundary: { x: 6, y: y(forwardTop, 32), w: 312, h: PANEL - 38, label: 'Company network' },
    nodes: [
      { id: 'f-clients', kind: 'clients', x: 74, y: y(forwardTop, MID), label: 'Clients', items: ['laptop 10.1.0.23', 'laptop 10.1.0.24', 'build server'] },
      { id: 'f-proxy', kind: 'proxy', x: 240, y: y(forwardTop, MID), label: 'Forward proxy', sub: o.forwardProxy },
      { id: 'f-internet', kind: 'internet', x: 440, y: y(forwardTop, MID), label: 'Internet' },
      { id: 'f-servers', kind: 'servers', x: 626, y: y(forwardTop, MID), label: 'Any website', items: ['example.org', 'news.example', 'api.github.com'] },
    ],
    arrows: [
      { from: 'f-clients', to: 'f-proxy' },
      { from: 'f-proxy', to: 'f-internet' },
      { from: 'f-internet', to: 'f-servers' },
    ],
    config: [{ from: 'f-clients', to: 'f-proxy', y: y(forwardTop, 96) }],
    annotations: [
      { aspect: 'config', x: 157, y: y(forwardTop, 70), anchor: 'middle', lines: ['set on every client: proxy setting,', 'PAC file or HTTPS_PROXY'] },
      { aspect: 'addresses', x: 16, y: y(forwardTop, 236), anchor: 'start', lines: ['Clients know the proxy', 'and the real site names'] },
      { aspect: 'addresses', x: 704, y: y(forwardTop, 236), anchor: 'end', lines: ['Sites see the proxy’s address, plus', 'X-Forwarded-For unless it strips it'] },
      { aspect: 'shield', x: 162, y: y(forwardTop, 272), anchor: 'middle', lines: ['speaks for and polices the clients'] },
    ],
  };

  const reverse: Panel = {
    key: 'reverse',
    title: 'Reverse proxy: works for the servers',
    top: reverseTop,
    height: PANEL,
    boundary: { x: 340, y: y(reverseTop, 32), w: 374, h: PANEL - 38, label: 'Your data centre' },
    nodes: [
      { id: 'r-clients', kind: 'clients', x: 74, y: y(reverseTop, MID), label: 'Anyone', items: ['browser', 'mobile app', 'partner API'] },
      { id: 'r-internet', kind: 'internet', x: 236, y: y(reverseTop, MID), label: 'Internet' },
      { id: 'r-proxy', kind: 'proxy', x: 446, y: y(reverseTop, MID), label: 'Reverse proxy', sub: o.reverseProxy },
      { id: 'r-servers', kind: 'servers', x: 626, y: y(reverseTop, MID), label: 'Your app servers', items: ['app-1 10.0.1.11', 'app-2 10.0.1.12', 'app-3 10.0.1.13'] },
    ],
    arrows: [
      { from: 'r-clients', to: 'r-internet' },
      { from: 'r-internet', to: 'r-proxy' },
      { from: 'r-proxy', to: 'r-servers' },
    ],
    config: [{ from: 'r-proxy', to: 'r-servers', y: y(reverseTop, 96) }],
    annotations: [
      { aspect: 'config', x: 16, y: y(reverseTop, 70), anchor: 'start', lines: ['Clients configure nothing: DNS', `sends ${o.site} to the proxy`] },
      { aspect: 'config', x: 536, y: y(reverseTop, 70), anchor: 'middle', lines: ['set by the site’s operators:', 'an upstream list of app servers'] },
      { aspect: 'addresses', x: 16, y: y(reverseTop, 236), anchor: 'start', lines: ['Clients know only', o.site] },
      { aspect: 'addresses', x: 704, y: y(reverseTop, 236), anchor: 'end', lines: ['Apps see the proxy’s address; the', 'client’s arrives in X-Forwarded-For'] },
      { aspect: 'shield', x: 527, y: y(reverseTop, 272), anchor: 'middle', lines: ['speaks for and protects the servers'] },
    ],
  };

  return { width: WIDTH, height: reverseTop + PANEL, panels: [forward, reverse] };
}

/** The same facts as a table, for readers who skip the picture and for the no-JavaScript page. */
export type FactRow = { aspect: Aspect | 'jobs'; question: string; forward: string; reverse: string };

export function facts(o: TopologyOptions): FactRow[] {
  return [
    {
      aspect: 'shield',
      question: 'Works for',
      forward: 'the clients: a company, a school, one user',
      reverse: 'the servers: whoever runs the site',
    },
    {
      aspect: 'config',
      question: 'Who is configured to use it',
      forward: 'every client, by a proxy setting, a PAC file or HTTPS_PROXY (or the network intercepts traffic)',
      reverse: `nobody outside: DNS for ${o.site} points at it, and its own configuration lists the app servers`,
    },
    {
      aspect: 'addresses',
      question: 'The client knows',
      forward: 'the proxy and the real site it wants',
      reverse: `only ${o.site}; it usually cannot tell a proxy is there`,
    },
    {
      aspect: 'addresses',
      question: 'The server sees',
      forward: 'the proxy’s address, plus X-Forwarded-For and Via unless the proxy strips them',
      reverse: 'the proxy’s address; the client’s arrives in X-Forwarded-For or Forwarded',
    },
    {
      aspect: 'jobs',
      question: 'Typical jobs',
      forward: 'caching, blocking, logging, authentication, controlled egress',
      reverse: 'load balancing, TLS termination, caching, routing, canaries',
    },
    {
      aspect: 'jobs',
      question: 'Examples',
      forward: 'Squid, corporate web gateways, SOCKS proxies such as the one ssh opens',
      reverse: 'nginx, HAProxy, Envoy, CDNs, Kubernetes ingress controllers',
    },
  ];
}

/** One sentence per panel for the SVG's <desc>. */
export function describe(t: Topology, o: TopologyOptions): string {
  return [
    `Top: clients inside a company network send every request to a forward proxy (${o.forwardProxy}), which fetches from any website on the internet; the clients are configured to use it, and websites see the proxy's address.`,
    `Bottom: anyone on the internet reaches ${o.site}, whose DNS points at a reverse proxy (${o.reverseProxy}) inside the site's data centre; it spreads requests over ${t.panels[1]!.nodes.find((n) => n.kind === 'servers')!.items!.length} app servers, which see the proxy's address.`,
  ].join(' ');
}

/** Where an arrow between two nodes starts and ends, stopping at each node's edge. */
export function edgeX(node: TopoNode, towards: 'left' | 'right'): number {
  const half = node.kind === 'proxy' ? PROXY_BOX.w / 2 : node.kind === 'internet' ? CLOUD.rx : GROUP_BOX.w / 2;
  return towards === 'right' ? node.x + half : node.x - half;
}

/** The height of a group's box: its label, then its items. */
export function groupHeight(node: TopoNode): number {
  const n = node.items?.length ?? 0;
  return GROUP_BOX.header + n * GROUP_BOX.h + Math.max(0, n - 1) * GROUP_BOX.gap + GROUP_BOX.pad;
}

/** The top y of each small box in a group. */
export function itemYs(node: TopoNode): number[] {
  const n = node.items?.length ?? 0;
  const first = topY(node) + GROUP_BOX.header;
  return Array.from({ length: n }, (_, i) => first + i * (GROUP_BOX.h + GROUP_BOX.gap));
}

/** The top edge of a node, where a dashed configuration line comes down to it. */
export function topY(node: TopoNode): number {
  if (node.kind === 'proxy') return node.y - PROXY_BOX.h / 2;
  if (node.kind === 'internet') return node.y - CLOUD.ry;
  return node.y - groupHeight(node) / 2;
}

/** The bottom edge of a node. */
export function bottomY(node: TopoNode): number {
  return 2 * node.y - topY(node);
}
