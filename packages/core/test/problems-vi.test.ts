import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { networkVi, problemVi } from '../src/lib/problems-vi.js';

const FALLBACK = 'lỗi khác khi kiểm tra thu hồi';
const dir = join(import.meta.dirname, '..', 'src', 'revocation');

/** Every reason revocation checking records, as written in its source, with sample values. */
function recordedReasons(): string[] {
  const out: string[] = [];
  for (const file of readdirSync(dir)) {
    const source = readFileSync(join(dir, file), 'utf8');
    for (const m of source.matchAll(/(?:problems\.push|unknown)\(\s*(['`])((?:(?!\1).)+)\1\s*\)/g)) {
      out.push(
        m[2]!
          .replace(/\$\{label\}/g, 'delta CRL')
          .replace(/\$\{url\}/g, 'http://ca.example.vn/ca.crl')
          .replace(/\$\{[^}]*toISOString\(\)\}/g, '2026-11-20T00:00:00.000Z')
          .replace(/\$\{response\.responseStatus\}/g, 'tryLater')
          .replace(/\$\{[^}]*\}/g, 'Kyso CA'),
      );
    }
  }
  return out;
}

describe('the Vietnamese of revocation reasons (issue 14, item 5)', () => {
  it('translates every reason revocation checking records', () => {
    const reasons = recordedReasons();
    expect(reasons.length).toBeGreaterThan(15);
    const untranslated = reasons.filter((r) => problemVi(r).startsWith(FALLBACK));
    expect(untranslated).toEqual([]);
  });

  it('translates the reasons that quote transport errors, with their source', () => {
    expect(
      problemVi('http://ca.vn/ocsp: fetching http://ca.vn/ocsp failed: connection refused (ECONNREFUSED)'),
    ).toBe('http://ca.vn/ocsp: tải http://ca.vn/ocsp thất bại: máy chủ từ chối kết nối (ECONNREFUSED)');
    expect(problemVi('http://ca.vn/a.crl: offline: refused to fetch http://ca.vn/a.crl')).toBe(
      'http://ca.vn/a.crl: chế độ ngoại tuyến: không tải http://ca.vn/a.crl',
    );
    expect(
      problemVi('stored OCSP response: the response is stale (valid until 2026-01-01T00:00:00.000Z)'),
    ).toBe(
      'phản hồi OCSP lưu kèm tài liệu: phản hồi OCSP đã cũ (chỉ có hiệu lực đến 2026-01-01T00:00:00.000Z)',
    );
    expect(networkVi('fetch failed')).toBe('không kết nối được');
    expect(networkVi('HTTP 404')).toBe('máy chủ trả về mã HTTP 404');
  });

  it('gives a Vietnamese summary, not English, for a reason it does not know', () => {
    expect(problemVi('something new went wrong')).toBe(
      'lỗi khác khi kiểm tra thu hồi (chi tiết trong thông báo tiếng Anh)',
    );
  });
});
