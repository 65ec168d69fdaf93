import type { CertificateDescription } from '@kyso/core';
import type { CertificateFacts } from './certificate.js';
import { vietnamDate } from './dates.js';
import { RulesError } from './errors.js';

/**
 * The facts {@link evaluateCertificate} takes, from a certificate as `describeCertificate` of
 * `@kyso/core` describes it (or a report's signer): its kind, and its validity as Vietnam dates.
 * What a certificate cannot tell (renewals used, the token's state, a revocation the caller knows
 * of) is added with `extra`. A CA or TSA certificate is no subscriber's and is refused.
 */
export function certificateFacts(
  description: Pick<CertificateDescription, 'kind' | 'notBefore' | 'notAfter'>,
  extra: Omit<CertificateFacts, 'kind' | 'notBefore' | 'notAfter'> = {},
): CertificateFacts {
  const { kind } = description;
  if (kind !== 'personal' && kind !== 'organisation' && kind !== 'device')
    throw new RulesError(
      'RULES_INVALID_INPUT',
      `a ${kind} certificate is no subscriber's: the lifecycle rules apply to personal, organisation and device certificates`,
      {
        messageVi: `chứng thư số loại ${kind} không phải của thuê bao: các quy tắc chỉ áp dụng cho chứng thư số cá nhân, cơ quan tổ chức và thiết bị`,
      },
    );
  const date = (iso: string, which: string) => {
    const d = new Date(iso);
    if (Number.isNaN(d.getTime()))
      throw new RulesError('RULES_INVALID_DATE', `${which} is not a time: ${iso}`, {
        messageVi: `${which} không phải thời điểm hợp lệ: ${iso}`,
      });
    return vietnamDate(d);
  };
  return {
    ...extra,
    kind,
    notBefore: date(description.notBefore, 'notBefore'),
    notAfter: date(description.notAfter, 'notAfter'),
  };
}
