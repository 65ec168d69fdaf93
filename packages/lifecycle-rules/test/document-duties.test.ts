// Document duties (issue 13, addition 3): recall, scope exclusions, paper, urgent documents and
// incoming registration deadlines. Each test quotes the article it encodes.
import { describe, expect, it } from 'vitest';
import {
  documentScope,
  incomingRegistrationDeadline,
  paperDuties,
  recallSteps,
  urgentDocumentDuties,
} from '../src/index.js';

describe('document.recall: Nghị định 30/2020/NĐ-CP Điều 18 khoản 4 điểm b, "bên nhận hủy bỏ văn bản điện tử bị thu hồi trên Hệ thống, đồng thời thông báo qua Hệ thống"', () => {
  it('has the receiver delete and report back everywhere', () => {
    const steps = recallSteps({ at: '2026-03-02' });
    expect(steps.receiver.map((s) => s.citation.text)).toEqual([
      'Nghị định 30/2020/NĐ-CP, Điều 18, khoản 4 điểm b',
    ]);
    expect(steps.sender).toEqual([]);
  });

  it('lao-cai.recall.receiver (Điều 6 khoản 3) and lao-cai.recall.sender (Điều 8 khoản 5, "văn thư Bên gửi phải thông báo trên hệ thống QLVB-ĐH") add the province\'s steps', () => {
    const steps = recallSteps({ at: '2026-03-02', province: 'lao-cai' });
    expect(steps.receiver.map((s) => s.citation.ruleId)).toEqual([
      'document.recall',
      'lao-cai.recall.receiver',
    ]);
    expect(steps.sender.map((s) => s.citation.ruleId)).toEqual(['lao-cai.recall.sender']);
  });
});

describe('scope exclusions: Sơn La Điều 4 ("trừ các văn bản mật"), Hà Tĩnh Điều 1 khoản 1 điểm b and khoản 2 điểm c, Lào Cai Điều 1 khoản 2', () => {
  it('son-la.scope.secret-documents puts state secrets outside', () => {
    expect(documentScope(['state-secret'], { at: '2026-03-02', province: 'son-la' })).toMatchObject({
      inScope: false,
      excludedBy: ['state-secret'],
      reasons: [
        expect.objectContaining({
          citation: expect.objectContaining({ ruleId: 'son-la.scope.secret-documents' }),
        }),
      ],
    });
  });

  it('lao-cai.scope.exclusions lists the papers of Luật Giao dịch điện tử Điều 1 (land-use certificates, marriage, birth, death …)', () => {
    expect(documentScope(['birth-certificate'], { at: '2026-03-02', province: 'lao-cai' })).toMatchObject({
      inScope: false,
      excludedBy: ['birth-certificate'],
    });
    expect(documentScope(['birth-certificate'], { at: '2026-03-02', province: 'son-la' }).inScope).toBe(true);
  });

  it('ha-tinh.scope.other-ca ("không áp dụng cho dịch vụ thuê bao … của các tổ chức khác cấp") and ha-tinh.scope.secret-documents', () => {
    expect(
      documentScope(['other-ca', 'state-secret'], { at: '2026-03-02', province: 'ha-tinh' }),
    ).toMatchObject({
      inScope: false,
      excludedBy: ['state-secret', 'other-ca'],
    });
  });

  it('a state secret where no encoded rule excludes it is "no rule encoded", not "in scope"', () => {
    expect(documentScope(['state-secret'], { at: '2026-03-02' }).inScope).toBeNull();
  });
});

describe('paper: Lào Cai Điều 5 khoản 4 (lao-cai.paper.also-on-paper) and khoản 5 (lao-cai.paper.no-waiting, "không phải chờ văn bản giấy")', () => {
  it('sends a personnel decision on paper too, and still acts on the e-document at once', () => {
    const d = paperDuties(['organisation-or-personnel-decision'], { at: '2026-03-02', province: 'lao-cai' });
    expect(d).toMatchObject({ alsoOnPaper: true, actWithoutWaitingForPaper: true });
    expect(d.reasons.map((r) => r.citation.text)).toEqual([
      'Quyết định 52/2019/QĐ-UBND (Lào Cai), Điều 5, khoản 4',
      'Quyết định 52/2019/QĐ-UBND (Lào Cai), Điều 5, khoản 5',
    ]);
    expect(paperDuties([], { at: '2026-03-02', province: 'lao-cai' }).alsoOnPaper).toBe(false);
    expect(paperDuties(['to-government'], { at: '2026-03-02' }).alsoOnPaper).toBeNull();
  });
});

describe('urgent documents: lao-cai.urgent.handling (Lào Cai Điều 5 khoản 2 điểm b, "Bên gửi phải gửi ngay sau khi đã ký số, Bên nhận phải trình, chuyển giao xử lý ngay")', () => {
  it("adds the province's priority flag, stamp image and extra signature to the national duties", () => {
    const d = urgentDocumentDuties({ at: '2026-03-02', province: 'lao-cai' });
    expect(d.sender.map((r) => r.citation.ruleId)).toEqual(
      expect.arrayContaining([
        'document.outgoing.issue-deadline',
        'lao-cai.electronic.urgent',
        'lao-cai.urgent.handling',
      ]),
    );
    expect(d.receiver.map((r) => r.citation.ruleId)).toEqual(
      expect.arrayContaining(['document.registration.deadline', 'lao-cai.urgent.handling']),
    );
    expect(urgentDocumentDuties({ at: '2026-03-02' }).sender.map((r) => r.citation.ruleId)).toEqual([
      'document.outgoing.issue-deadline',
    ]);
  });
});

describe('document.registration.deadline (Nghị định 30/2020 Điều 4 khoản 2 điểm c) and document.incoming.forwarding (Điều 23 khoản 1)', () => {
  it('"trong ngày, chậm nhất là trong ngày làm việc tiếp theo": a Friday evening arrival is due Monday', () => {
    const d = incomingRegistrationDeadline('2026-11-20T17:30:00+07:00', {});
    expect(d).toMatchObject({ receivedOn: '2026-11-20', latest: '2026-11-23' });
    expect(d.reasons.map((r) => r.citation.ruleId)).toEqual([
      'document.registration.deadline',
      'document.incoming.forwarding',
    ]);
  });

  it('"văn bản đến có các mức độ khẩn … ngay sau khi nhận được": urgent is immediate; the date is Vietnam\'s', () => {
    expect(incomingRegistrationDeadline('2026-11-20T18:00:00Z', { urgent: true })).toMatchObject({
      receivedOn: '2026-11-21',
      latest: 'immediately',
    });
    expect(() => incomingRegistrationDeadline('yesterday', {})).toThrow(/ISO 8601/);
  });
});
