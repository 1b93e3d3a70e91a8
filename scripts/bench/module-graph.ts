/**
 * The import graph of a built site, read from the chunks themselves with TypeScript's parser
 * (a name or quote-style regex misses Vite's minified output, which writes import(`./x.js`)):
 *
 *   import … from "./x.js", export … from "./x.js"   static: loaded with the importing chunk
 *   import(`./x.js`)                                 dynamic: loaded when that code runs
 *   new Worker("/_astro/x.js") / new Worker(new URL("/_astro/x.js", import.meta.url))   a worker
 *   const __vite__mapDeps = … ["_astro/x.js", "_astro/y.css"]   what Vite preloads with a dynamic import
 */
import { existsSync, readFileSync } from 'node:fs';
import { dirname, join, resolve } from 'node:path';
import ts from 'typescript';

export type ChunkLinks = {
  /** Absolute paths of chunks imported statically. */
  imports: string[];
  /** Chunks imported with import(), and worker scripts. */
  lazy: string[];
  /** Stylesheets Vite injects when one of this chunk's dynamic imports runs. */
  lazyCss: string[];
};

const cache = new Map<string, ChunkLinks>();

/** What one built chunk links to. `dist` resolves root-relative specifiers ("/_astro/x.js"). */
export function chunkLinks(dist: string, file: string): ChunkLinks {
  let links = cache.get(file);
  if (!links) cache.set(file, (links = linksIn(dist, readFileSync(file, 'utf8'), file)));
  return links;
}

/** The same for code that is not a file of its own (an inline <script type="module">); `file` only places relative specifiers. */
export function linksIn(dist: string, code: string, file: string): ChunkLinks {
  const links: ChunkLinks = { imports: [], lazy: [], lazyCss: [] };
  const at = (spec: string) => (spec.startsWith('/') ? join(dist, spec) : spec.startsWith('.') ? resolve(dirname(file), spec) : join(dist, spec));
  const source = ts.createSourceFile(file, code, ts.ScriptTarget.Latest, false, ts.ScriptKind.JS);
  const visit = (node: ts.Node): void => {
    if ((ts.isImportDeclaration(node) || ts.isExportDeclaration(node)) && node.moduleSpecifier && ts.isStringLiteral(node.moduleSpecifier)) {
      links.imports.push(at(node.moduleSpecifier.text));
    } else if (ts.isCallExpression(node) && node.expression.kind === ts.SyntaxKind.ImportKeyword) {
      const spec = literal(node.arguments[0]);
      if (spec) links.lazy.push(at(spec));
    } else if (ts.isNewExpression(node) && ts.isIdentifier(node.expression) && /^(Shared)?Worker$/.test(node.expression.text)) {
      const arg = node.arguments?.[0];
      const spec = literal(arg) ?? (arg && ts.isNewExpression(arg) && ts.isIdentifier(arg.expression) && arg.expression.text === 'URL' ? literal(arg.arguments?.[0]) : undefined);
      if (spec) links.lazy.push(at(spec));
    } else if (ts.isVariableDeclaration(node) && ts.isIdentifier(node.name) && node.name.text === '__vite__mapDeps' && node.initializer) {
      const collect = (n: ts.Node): void => {
        const spec = literal(n);
        if (spec?.endsWith('.css')) links.lazyCss.push(at(spec));
        ts.forEachChild(n, collect);
      };
      collect(node.initializer);
    }
    ts.forEachChild(node, visit);
  };
  visit(source);
  return links;
}

function literal(node: ts.Node | undefined): string | undefined {
  return node && (ts.isStringLiteral(node) || ts.isNoSubstitutionTemplateLiteral(node)) ? node.text : undefined;
}

export type Reach = {
  /** Chunks that load with the entries: the entries and everything they import statically. */
  eager: Set<string>;
  /** Chunks that can load later (dynamic imports, workers, and their static imports), minus eager ones. */
  lazy: Set<string>;
  /** Stylesheets that arrive with the lazy chunks. */
  lazyCss: Set<string>;
};

/** Follows the graph from a page's entry scripts (absolute paths of .js files under dist) and what its inline scripts link to. */
export function reach(dist: string, entries: string[], inline: ChunkLinks[] = []): Reach {
  const eager = new Set<string>();
  const lazy = new Set<string>();
  const lazyCss = new Set<string>();
  const walk = (file: string, into: Set<string>): void => {
    if (into.has(file) || !file.endsWith('.js') || !existsSync(file)) return;
    into.add(file);
    const links = chunkLinks(dist, file);
    for (const f of links.imports) walk(f, into);
    for (const f of links.lazy) walk(f, lazy);
    for (const f of links.lazyCss) lazyCss.add(f);
  };
  for (const entry of [...entries, ...inline.flatMap((l) => l.imports)]) walk(entry, eager);
  for (const l of inline) {
    for (const f of l.lazy) walk(f, lazy);
    for (const f of l.lazyCss) lazyCss.add(f);
  }
  for (const f of eager) lazy.delete(f);
  return { eager, lazy, lazyCss };
}
