import { describe, expect, test } from 'vitest';
import { compareTerms, groupByLetter, letterOf } from '../../../src/lib/course/glossary-index.ts';

describe('glossary order', () => {
  test('sorts without regard to case, and numbers by value', () => {
    const terms = ['TCP keepalive', 'tcp', 'HTTP/3', 'HTTP/1.1', 'HTTP', '429 Too Many Requests', '103 Early Hints', 'gRPC', 'Gratuitous ARP'];
    expect([...terms].sort(compareTerms)).toEqual([
      '103 Early Hints',
      '429 Too Many Requests',
      'Gratuitous ARP',
      'gRPC',
      'HTTP',
      'HTTP/1.1',
      'HTTP/3',
      'tcp',
      'TCP keepalive',
    ]);
  });

  test('files a term under its first letter, and digits and symbols under #', () => {
    expect(['ndots', 'Écho', '0-RTT', '/31'].map(letterOf)).toEqual(['N', 'E', '#', '#']);
  });

  test('groups terms by letter, numbers first, and leaves out letters without terms', () => {
    const groups = groupByLetter([{ term: 'NAT' }, { term: '0-RTT' }, { term: 'ARP' }, { term: 'anycast' }]);
    expect(groups.map((g) => [g.id, g.label, g.terms.map((t) => t.term)])).toEqual([
      ['letter-0-9', '0–9', ['0-RTT']],
      ['letter-a', 'A', ['anycast', 'ARP']],
      ['letter-n', 'N', ['NAT']],
    ]);
  });
});
