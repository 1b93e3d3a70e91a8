import { describe, expect, test } from 'vitest';
import { searchableHtml } from '../../../src/integrations/pagefind.ts';

// Which part of each built page the search index sees (the build itself is covered by dist.test.ts).
describe('what search indexes', () => {
  test('a page that marks its content region is indexed as it is', () => {
    const html = '<html><body><nav>Menu</nav><main><article data-pagefind-body><h1>DNS</h1></article></main></body></html>';
    expect(searchableHtml('lessons/dns/index.html', html)).toBe(html);
  });

  test("a lab page without a marker gets its brief's <article> marked, not the workbench or the chrome", () => {
    const html = '<html><body><header>x</header><main class="lab-page"><article class="brief"><h1>Lab</h1></article><section class="workbench"></section></main></body></html>';
    const out = searchableHtml('labs/reverse-proxy/index.html', html)!;
    expect(out).toContain('<article data-pagefind-body class="brief">');
    expect(out.match(/data-pagefind-body/g)).toHaveLength(1);
  });

  test('a glossary page without an <article> gets its <main> marked', () => {
    const out = searchableHtml('glossary/index.html', '<html><body><main id="main"><h1>Glossary</h1></main></body></html>');
    expect(out).toContain('<main data-pagefind-body id="main">');
  });

  test('the home page, the labs list, the progress page and other pages are left out', () => {
    for (const rel of ['index.html', 'labs/index.html', 'progress/index.html', 'labs/x/solution/index.html']) {
      expect(searchableHtml(rel, '<html><body><main><h1>x</h1></main></body></html>'), rel).toBeNull();
    }
  });
});
