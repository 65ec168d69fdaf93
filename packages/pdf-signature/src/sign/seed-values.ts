import { PdfError } from '../errors.js';
import type { PdfDocument } from '../reader/document.js';
import { PdfDict, PdfName, PdfString, type PdfValue } from '../reader/objects.js';

/**
 * The seed values of an existing signature field (`/SV`, ISO 32000-2 §12.7.5.5, Table 236): the
 * constraints its author set. A constraint whose bit is set in `/Ff` is required and refused when
 * not met; one without its bit is a hint kyso may ignore.
 */

/** What a signature about to fill the field is. */
export interface SeedIntent {
  filter: string;
  subFilter: string;
  reason?: string;
  /** The DocMDP level when the signature certifies. */
  certify?: 1 | 2 | 3;
  /** The digest algorithm the CMS will use, when known ('SHA-256'…). */
  digestAlgorithm?: string;
}

const REQUIRED = {
  Filter: 1,
  SubFilter: 2,
  V: 4,
  Reasons: 8,
  LegalAttestation: 16,
  AddRevInfo: 32,
  DigestMethod: 64,
};

function names(doc: PdfDocument, v: PdfValue | undefined): string[] {
  const list = doc.deref(v);
  return Array.isArray(list)
    ? list.map((x) => doc.deref(x)).flatMap((x) => (x instanceof PdfName ? [x.name] : []))
    : [];
}

function refuse(en: string, vi: string): never {
  throw new PdfError('PDF_SIGN_SEED_VALUE_VIOLATED', `the field's seed values (/SV) ${en}`, {
    messageVi: `giá trị gợi ý (/SV) của trường ${vi}`,
  });
}

/** Refuses a signature the field's required seed values rule out. */
export function checkSeedValues(doc: PdfDocument, field: PdfDict, intent: SeedIntent): void {
  const sv = doc.deref(field.get('SV'));
  if (!(sv instanceof PdfDict)) return;
  const ffValue = doc.deref(sv.get('Ff'));
  const ff = typeof ffValue === 'number' ? ffValue : 0;
  const filter = sv.name('Filter');
  if (ff & REQUIRED.Filter && filter !== undefined && filter !== intent.filter)
    refuse(`require the handler ${filter}`, `yêu cầu bộ xử lý ${filter}`);
  const subFilters = names(doc, sv.get('SubFilter'));
  if (ff & REQUIRED.SubFilter && subFilters.length > 0 && !subFilters.includes(intent.subFilter))
    refuse(
      `require one of ${subFilters.join(', ')}, not ${intent.subFilter}`,
      `yêu cầu một trong ${subFilters.join(', ')}, không phải ${intent.subFilter}`,
    );
  const reasonsValue = doc.deref(sv.get('Reasons'));
  if (ff & REQUIRED.Reasons && Array.isArray(reasonsValue)) {
    const reasons = reasonsValue
      .map((r) => doc.deref(r))
      .flatMap((r) => (r instanceof PdfString ? [r.text()] : []));
    // A single "." means no reason may be given.
    const allowed = reasons.length === 1 && reasons[0] === '.' ? [] : reasons;
    if (allowed.length === 0 ? intent.reason !== undefined : !allowed.includes(intent.reason ?? ''))
      refuse(
        allowed.length === 0 ? 'forbid a reason' : `require a reason among: ${allowed.join('; ')}`,
        allowed.length === 0
          ? 'không cho phép ghi lý do'
          : `yêu cầu lý do là một trong: ${allowed.join('; ')}`,
      );
  }
  const digests = names(doc, sv.get('DigestMethod'));
  const digest = intent.digestAlgorithm?.replace('-', '').toUpperCase();
  if (ff & REQUIRED.DigestMethod && digests.length > 0 && digest !== undefined && !digests.includes(digest))
    refuse(`require the digest ${digests.join(' or ')}`, `yêu cầu thuật toán băm ${digests.join(' hoặc ')}`);
  if (ff & REQUIRED.AddRevInfo && doc.deref(sv.get('AddRevInfo')) === true)
    refuse(
      'require revocation data inside the signature (adbe-revocationInfoArchival), which PAdES does not use',
      'yêu cầu dữ liệu thu hồi nằm trong chữ ký (adbe-revocationInfoArchival), điều PAdES không dùng',
    );
  const mdp = doc.deref(sv.get('MDP'));
  const p = mdp instanceof PdfDict ? doc.deref(mdp.get('P')) : undefined;
  if (typeof p === 'number' && p >= 1 && p <= 3 && intent.certify !== p)
    refuse(`require a certification signature with /P ${p}`, `yêu cầu chữ ký chứng nhận với /P ${p}`);
  if (p === 0 && intent.certify !== undefined)
    refuse(
      'require an approval signature, not a certification',
      'yêu cầu chữ ký phê duyệt, không phải chứng nhận',
    );
}
