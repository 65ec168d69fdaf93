// Every rule record, with the article it encodes as its test's name (issue 13: "every rule record has
// a test whose name or comment quotes the article it encodes"). Behaviour is tested beside each topic
// (certificate, documents, routing, subscriber duties, audit corrections); this table pins what each
// record cites and its grade, so that a changed citation is a reviewed change, not a silent one.
import { describe, expect, it } from 'vitest';
import { citationOf, RULES, rulesAt } from '../src/index.js';

const CITED: [id: string, from: string, citation: string, grade: 'A' | 'B' | 'C'][] = [
  ['cert.validity.new', '2024-08-15', 'Nghị định 68/2024/NĐ-CP, Điều 9, khoản 2', 'A'],
  ['cert.validity.renewed', '2024-08-15', 'Nghị định 68/2024/NĐ-CP, Điều 9, khoản 3', 'A'],
  ['cert.renewal.conditions', '2024-08-15', 'Nghị định 68/2024/NĐ-CP, Điều 12', 'B'],
  ['cert.renewal.conditions', '2018-11-15', 'Nghị định 130/2018/NĐ-CP, Điều 63', 'A'],
  ['cert.renewal.form', '2024-08-15', 'Nghị định 68/2024/NĐ-CP, Điều 13', 'B'],
  ['cert.information-change.conditions', '2024-08-15', 'Nghị định 68/2024/NĐ-CP, Điều 14', 'B'],
  ['cert.information-change.cases', '2024-08-15', 'Nghị định 68/2024/NĐ-CP, Điều 15', 'A'],
  ['cert.revocation.cases', '2024-08-15', 'Nghị định 68/2024/NĐ-CP, Điều 17', 'A'],
  ['cert.revocation.form', '2024-08-15', 'Nghị định 68/2024/NĐ-CP, Điều 19', 'B'],
  ['token.return', '2024-08-15', 'Nghị định 68/2024/NĐ-CP, Điều 20, khoản 1–3', 'B'],
  ['token.lost', '2024-08-15', 'Nghị định 68/2024/NĐ-CP, Điều 20, khoản 4', 'B'],
  ['cert.issue.forms', '2024-08-15', 'Nghị định 68/2024/NĐ-CP, Điều 11, khoản 1–2', 'A'],
  ['cert.reissue', '2024-08-15', 'Nghị định 68/2024/NĐ-CP, Điều 21', 'B'],
  ['token.recovery', '2024-08-15', 'Nghị định 68/2024/NĐ-CP, Điều 22', 'B'],
  ['cert.signing-validity', '2024-08-15', 'Nghị định 68/2024/NĐ-CP, Điều 31', 'A'],
  ['document.electronic.signatures', '2020-03-05', 'Nghị định 30/2020/NĐ-CP, Điều 5, khoản 1', 'A'],
  [
    'document.digitised.organisation-signature',
    '2020-03-05',
    'Nghị định 30/2020/NĐ-CP, Điều 25, khoản 1 điểm c',
    'A',
  ],
  ['document.organisation-signs-last', '2020-03-05', 'Nghị định 30/2020/NĐ-CP, Điều 32, khoản 2', 'A'],
  ['document.incoming.check', '2020-03-05', 'Nghị định 30/2020/NĐ-CP, Điều 21, khoản 2', 'A'],
  ['document.outgoing.issue-deadline', '2020-03-05', 'Nghị định 30/2020/NĐ-CP, Điều 18, khoản 1', 'A'],
  ['request.route', '2024-08-15', 'Nghị định 68/2024/NĐ-CP, Điều 4, khoản 1', 'B'],
  ['document.recall', '2020-03-05', 'Nghị định 30/2020/NĐ-CP, Điều 18, khoản 4 điểm b', 'A'],
  ['document.registration.deadline', '2020-03-05', 'Nghị định 30/2020/NĐ-CP, Điều 4, khoản 2 điểm c', 'A'],
  ['document.incoming.forwarding', '2020-03-05', 'Nghị định 30/2020/NĐ-CP, Điều 23, khoản 1', 'A'],
  ['son-la.request-copy', '2025-06-05', 'Quyết định 1319/QĐ-UBND (Sơn La, 2025), Điều 6, khoản 3', 'A'],
  [
    'son-la.incoming.reject-and-notify',
    '2025-06-05',
    'Quyết định 1319/QĐ-UBND (Sơn La, 2025), Điều 10, khoản 2',
    'A',
  ],
  ['son-la.report.vertical-agencies', '2025-06-05', 'Quyết định 1319/QĐ-UBND (Sơn La, 2025), Điều 11', 'A'],
  [
    'phu-tho.renewal-change.processing',
    '2025-11-01',
    'Quyết định …/2025/QĐ-CTUBND (Phú Thọ), Điều 5, khoản 4',
    'A',
  ],
  [
    'phu-tho.token-recovery.processing',
    '2025-11-01',
    'Quyết định …/2025/QĐ-CTUBND (Phú Thọ), Điều 6, khoản 3–4',
    'A',
  ],
  [
    'phu-tho.custody.organisation-token',
    '2025-11-01',
    'Quyết định …/2025/QĐ-CTUBND (Phú Thọ), Điều 7, khoản 1',
    'A',
  ],
  [
    'ha-tinh.token.secret-custody',
    '2020-08-25',
    'Quyết định 19/2020/QĐ-UBND (Hà Tĩnh), Điều 2, khoản 3',
    'A',
  ],
  [
    'ha-tinh.token.lost-record',
    '2020-08-25',
    'Quyết định 19/2020/QĐ-UBND (Hà Tĩnh), Điều 6, khoản 2 điểm c',
    'A',
  ],
  [
    'ha-tinh.token.custodian-change',
    '2020-08-25',
    'Quyết định 19/2020/QĐ-UBND (Hà Tĩnh), Điều 11, khoản 3',
    'A',
  ],
  [
    'ha-tinh.report.half-year-and-year',
    '2020-08-25',
    'Quyết định 19/2020/QĐ-UBND (Hà Tĩnh), Điều 13, khoản 1',
    'A',
  ],
  [
    'lao-cai.outgoing.same-day',
    '2019-12-15',
    'Quyết định 52/2019/QĐ-UBND (Lào Cai), Điều 5, khoản 1 điểm c',
    'A',
  ],
  [
    'lao-cai.electronic.both-signatures',
    '2019-12-15',
    'Quyết định 52/2019/QĐ-UBND (Lào Cai), Điều 5, khoản 2 điểm a',
    'A',
  ],
  [
    'lao-cai.electronic.urgent',
    '2019-12-15',
    'Quyết định 52/2019/QĐ-UBND (Lào Cai), Điều 5, khoản 2 điểm b',
    'A',
  ],
  [
    'lao-cai.incoming.refuse-and-notify',
    '2019-12-15',
    'Quyết định 52/2019/QĐ-UBND (Lào Cai), Điều 5, khoản 6',
    'A',
  ],
  [
    'dien-bien.validity.new',
    '2025-07-01',
    'Dự thảo quyết định của UBND tỉnh Điện Biên (2025), Điều 16, khoản 1',
    'A',
  ],
  [
    'dien-bien.renewal.max-years',
    '2025-07-01',
    'Dự thảo quyết định của UBND tỉnh Điện Biên (2025), Điều 17, khoản 1',
    'A',
  ],
  ['son-la.request.route', '2025-06-05', 'Quyết định 1319/QĐ-UBND (Sơn La, 2025), Điều 5', 'A'],
  ['son-la.scope.secret-documents', '2025-06-05', 'Quyết định 1319/QĐ-UBND (Sơn La, 2025), Điều 4', 'A'],
  [
    'son-la.subscriber.report-incidents',
    '2025-06-05',
    'Quyết định 1319/QĐ-UBND (Sơn La, 2025), Điều 18, khoản 3',
    'A',
  ],
  [
    'phu-tho.request.issue-revocation.route',
    '2025-11-01',
    'Quyết định …/2025/QĐ-CTUBND (Phú Thọ), Điều 4, khoản 1–2',
    'A',
  ],
  [
    'phu-tho.request.renewal-change.route',
    '2025-11-01',
    'Quyết định …/2025/QĐ-CTUBND (Phú Thọ), Điều 5, khoản 4 điểm a',
    'A',
  ],
  [
    'phu-tho.request.token-recovery.route',
    '2025-11-01',
    'Quyết định …/2025/QĐ-CTUBND (Phú Thọ), Điều 6, khoản 2',
    'A',
  ],
  [
    'phu-tho.subscriber.report-for-revocation',
    '2025-11-01',
    'Quyết định …/2025/QĐ-CTUBND (Phú Thọ), Điều 10, khoản 3',
    'A',
  ],
  ['ha-tinh.request.route', '2020-08-25', 'Quyết định 19/2020/QĐ-UBND (Hà Tĩnh), Điều 9, khoản 3', 'A'],
  [
    'ha-tinh.subscriber.report-loss',
    '2020-08-25',
    'Quyết định 19/2020/QĐ-UBND (Hà Tĩnh), Điều 10, khoản 4',
    'A',
  ],
  [
    'ha-tinh.scope.secret-documents',
    '2020-08-25',
    'Quyết định 19/2020/QĐ-UBND (Hà Tĩnh), Điều 1, khoản 1 điểm b',
    'A',
  ],
  [
    'ha-tinh.scope.other-ca',
    '2020-08-25',
    'Quyết định 19/2020/QĐ-UBND (Hà Tĩnh), Điều 1, khoản 2 điểm c',
    'A',
  ],
  [
    'lao-cai.request.coordination',
    '2019-12-15',
    'Quyết định 52/2019/QĐ-UBND (Lào Cai), Điều 9, khoản 2',
    'A',
  ],
  ['lao-cai.scope.exclusions', '2019-12-15', 'Quyết định 52/2019/QĐ-UBND (Lào Cai), Điều 1, khoản 2', 'A'],
  ['lao-cai.paper.also-on-paper', '2019-12-15', 'Quyết định 52/2019/QĐ-UBND (Lào Cai), Điều 5, khoản 4', 'A'],
  ['lao-cai.paper.no-waiting', '2019-12-15', 'Quyết định 52/2019/QĐ-UBND (Lào Cai), Điều 5, khoản 5', 'A'],
  [
    'lao-cai.urgent.handling',
    '2019-12-15',
    'Quyết định 52/2019/QĐ-UBND (Lào Cai), Điều 5, khoản 2 điểm b',
    'A',
  ],
  ['lao-cai.recall.receiver', '2019-12-15', 'Quyết định 52/2019/QĐ-UBND (Lào Cai), Điều 6, khoản 3', 'A'],
  ['lao-cai.recall.sender', '2019-12-15', 'Quyết định 52/2019/QĐ-UBND (Lào Cai), Điều 8, khoản 5', 'A'],
  [
    'dien-bien.request.route',
    '2025-07-01',
    'Dự thảo quyết định của UBND tỉnh Điện Biên (2025), Điều 15',
    'A',
  ],
];

describe('each rule record cites the article it encodes', () => {
  it.each(CITED)('%s (from %s) encodes %s, grade %s', (id, from, citation, grade) => {
    const rule = RULES.find((r) => r.id === id && r.period.from === from)!;
    expect(rule).toBeDefined();
    expect(citationOf(rule)).toMatchObject({ text: citation, grade });
    expect(
      rulesAt(from, rule.jurisdiction === 'national' ? undefined : rule.jurisdiction, {
        includeDrafts: true,
      }),
    ).toContain(rule);
  });

  it('no rule record is left out of this table', () => {
    const listed = new Set(CITED.map(([id, from]) => `${id}@${from}`));
    expect(RULES.map((r) => `${r.id}@${r.period.from}`).filter((k) => !listed.has(k))).toEqual([]);
  });
});
