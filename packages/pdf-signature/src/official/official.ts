/**
 * The personal-then-agency flow of Nghị định 30/2020/NĐ-CP for an electronic administrative
 * document: the competent person signs first (the handwritten image, blue, between the title and
 * the name; Phụ lục I, kyso rule N30-PL1-1), then the văn thư applies the agency's signature with
 * the agency's key (the red seal over the left third of the personal image, N30-PL1-2; or the copy
 * or attachment text at the top right of page 1, N30-PL1-4…6; or, opt-in and provincial, the
 * urgency stamp, N30-PL1-10). The number and date, assigned after the leader signs (Điều 14,
 * Điều 15 khoản 3), are drawn in the agency signature's own widgets, never in page content, which
 * would break the personal signature.
 *
 * Each step exists as the first half of the two-step API (`prepare…`, completed with
 * `completePdfSignature`, because two people sign with two tokens, often hours apart) and as one
 * call with a {@link Signer}.
 */
import { describeCertificate, parseCertificateDer, type Signer } from '@kyso/core';
import type { SignatureAnchors } from '../appearance/anchors.js';
import { textAppearance } from '../appearance/appearance.js';
import {
  agencySealAppearance,
  attachmentTextAppearance,
  copyTextAppearance,
  personalRectBetween,
  personalSignatureAppearance,
  sealOverPersonal,
  urgentStampAppearance,
} from '../appearance/decree30.js';
import type { AppearanceFont } from '../appearance/font.js';
import { topRightBox, userRectToView, type ViewRect } from '../appearance/geometry.js';
import { PdfError } from '../errors.js';
import { PdfDict, PdfRef } from '../reader/objects.js';
import type { SignPdfResult } from '../sign/complete.js';
import { formFields, pageGeometry, pageRefs } from '../sign/form.js';
import { certificationLevel } from '../sign/mdp.js';
import type { VisibleAppearance } from '../sign/placeholder.js';
import {
  type PreparedPdfSignature,
  type PreparePdfSignatureOptions,
  preparePdfSignature,
} from '../sign/prepare.js';
import { type SignPdfOptions, signPdf } from '../sign/sign-pdf.js';
import { type VerifyPdfOptions, verifyPdf } from '../verify/verify-pdf.js';
import { IncrementalUpdate } from '../writer/incremental.js';

/** The signing options the flow passes through (its own decide the field's look). */
export type OfficialPrepareOptions = Omit<PreparePdfSignatureOptions, 'visible' | 'moreWidgets'>;
/** The one-call signing options the flow passes through. */
export type OfficialSignOptions = Omit<SignPdfOptions, 'visible' | 'moreWidgets'>;

/** Where the personal signature goes: a rectangle of a page as displayed, or between two anchors. */
export type PersonalPlacement =
  | { page: number; rect: ViewRect }
  /** From `findSignatureAnchors` (`/node`): centred between the title and the name. */
  | { anchors: SignatureAnchors; width?: number; height?: number };

/** What the competent person's signature shows. */
export interface PersonalAppearanceOptions {
  /** The handwritten signature: PNG with a transparent background, blue (N30-PL1-1). */
  image: Uint8Array;
  placement: PersonalPlacement;
  /** PDF/A-1 target: a stencil mask instead of an SMask. Default false. */
  pdfA1?: boolean;
}

/** Common to the personal options of both API forms. */
export type PersonalOptions<T> = T & PersonalAppearanceOptions;

/**
 * Prepares the competent person's signature (two steps; complete with `completePdfSignature`).
 *
 * @throws PdfError `OFFICIAL_CERTIFICATE_KIND` (not a personal certificate),
 * `OFFICIAL_DOCMDP_WITHOUT_LATER_FIELDS` (a certification before the agency's fields exist), and
 * what `preparePdfSignature` throws; AppearanceError `APPEARANCE_*`.
 */
export async function preparePersonalSignature(
  pdf: Uint8Array,
  options: PersonalOptions<OfficialPrepareOptions>,
): Promise<PreparedPdfSignature> {
  const signingTime = wholeSecond(options.signingTime);
  const visible = personalPlan(pdf, options, options.certificate);
  return preparePdfSignature(pdf, { ...stripPersonal(options), signingTime, visible });
}

/**
 * The competent person's signature in one call with a {@link Signer}. Throws as {@link preparePersonalSignature}.
 *
 * @example
 * ```ts
 * const personal = await signPersonal(letter, {
 *   signer: leaderSigner, validation, image: signaturePng,
 *   anchors: { title: 'KT. GIÁM ĐỐC / PHÓ GIÁM ĐỐC', name: 'Nguyễn Văn An' },
 * });
 * ```
 */
export async function signPersonal(
  pdf: Uint8Array,
  options: PersonalOptions<OfficialSignOptions>,
): Promise<SignPdfResult> {
  const signingTime = wholeSecond(options.signingTime);
  const visible = personalPlan(pdf, options, options.signer.certificate);
  return signPdf(pdf, { ...stripPersonal(options), signingTime, visible });
}

function stripPersonal<T extends PersonalAppearanceOptions>(options: T) {
  const { image: _i, placement: _p, pdfA1: _a, ...rest } = options;
  return rest;
}

function personalPlan(
  pdf: Uint8Array,
  options: PersonalAppearanceOptions & { certify?: 1 | 2 | 3 },
  certificate: Uint8Array,
): VisibleAppearance {
  requireKind(certificate, 'personal');
  if (options.certify !== undefined) {
    const update = new IncrementalUpdate(pdf);
    const empty = formFields(update.document).filter(
      (f) => f.type === 'Sig' && f.dict.get('V') === undefined,
    );
    if (empty.length === 0)
      throw new PdfError(
        'OFFICIAL_DOCMDP_WITHOUT_LATER_FIELDS',
        'a DocMDP certification on the personal signature needs the agency signature fields to exist first (viewers flag fields added after a certification); add them with addEmptySignatureField, or sign without certify',
        {
          messageVi:
            'khóa DocMDP trên chữ ký cá nhân cần có sẵn các trường chữ ký của cơ quan (trình xem cảnh báo trường được thêm sau chữ ký chứng nhận); hãy thêm chúng bằng addEmptySignatureField, hoặc ký không chứng nhận',
        },
      );
  }
  const p = options.placement;
  const page = 'anchors' in p ? p.anchors.page : p.page;
  const rect =
    'anchors' in p
      ? personalRectBetween(p.anchors.title.view, p.anchors.name.view, {
          ...(p.width !== undefined ? { width: p.width } : {}),
          ...(p.height !== undefined ? { height: p.height } : {}),
        })
      : p.rect;
  const appearance = personalSignatureAppearance({
    image: options.image,
    width: rect.width,
    height: rect.height,
    ...(options.pdfA1 !== undefined ? { pdfA1: options.pdfA1 } : {}),
  });
  return { page, appearance, at: { x: rect.x, y: rect.y } };
}

/** Why the agency may sign (Nghị định 30/2020 Điều 32 khoản 2). */
export type AgencyBasis =
  /** The document carries the competent person's valid signature (checked). Default. */
  | 'personal-signature'
  /** A copy the agency made itself (sao y, sao lục, trích sao). */
  | 'agency-copy'
  /** An incoming paper document the agency digitised. */
  | 'digitised-incoming';

/** A text shown in one of the agency signature's widgets. */
export interface WidgetText {
  /** The text as it is drawn (never re-cased). */
  text: string;
  page: number;
  /** Its box's lower-left corner on the page as displayed, in points. */
  at: { x: number; y: number };
}

/** A number or a date drawn by one of the agency's signatures (Nghị định 30/2020 Điều 15 khoản 3). */
export interface AgencyTextPlace {
  page: number;
  /** The box's lower-left corner on the page as displayed, in points. */
  at: { x: number; y: number };
  /** The font (`loadDefaultFont()` from `/node`). */
  font: AppearanceFont;
  /** Size in points. Default 13 (Phụ lục I: 13–14). */
  fontSize?: number;
}

/** What the agency's signature shows. */
export type AgencyAppearanceOptions =
  | {
      kind: 'seal';
      /** The seal: PNG with a transparent background, red (N30-PL1-2). */
      seal: Uint8Array;
      /** The seal's width in mm (default: the PNG's pHYs in metres, when plausible). */
      sealMm?: number;
      /**
       * The personal image's area the seal covers the left third of. Default: the widget of the
       * document's last valid personal signature.
       */
      personalImage?: { page: number; rect: ViewRect };
      /**
       * With `signAgency` only: the document number, drawn by a further agency signature right after
       * the seal's (as the Government's own files do). In two steps, prepare a `number` signature.
       */
      documentNumber?: WidgetText;
      /** With `signAgency` only: the date, `YYYY-MM-DD`, drawn by a further agency signature. */
      documentDate?: { date: string; page: number; at: { x: number; y: number } };
      /** The font of the number and date. Needed with either. */
      font?: AppearanceFont;
      /** Their size in points. Default 13. */
      fontSize?: number;
    }
  /** The document number and symbol as the caller writes it, such as "123/UBND-VP". */
  | ({ kind: 'number'; text: string } & AgencyTextPlace)
  /** The date of issue, `YYYY-MM-DD`, drawn as "ngày 01 tháng 12 năm 2026". */
  | ({ kind: 'date'; date: string } & AgencyTextPlace)
  | { kind: 'copy'; copyForm: string; agency: string; font: AppearanceFont }
  | { kind: 'attachment'; documentNumber: string; font: AppearanceFont }
  | {
      kind: 'urgent';
      /** The urgency stamp: PNG, red, at its actual size. */
      stamp: Uint8Array;
      stampMm?: number;
      page: number;
      at: { x: number; y: number };
      /** The provincial rule this follows: only Lào Cai (QĐ 52/2019 Đ5 k2b) has one. Opt-in. */
      provincialRule: 'lao-cai';
    };

/** Options of the agency's signature. */
export interface AgencyOptions {
  appearance: AgencyAppearanceOptions;
  /** Why the agency may sign. Default `personal-signature`, which is checked. */
  basis?: AgencyBasis;
  /**
   * How the personal signature is checked: trust anchors (or profile), CRLs, transport,
   * revocation mode (default hard-fail: an unknown status is "could not check"). Required for the
   * `personal-signature` basis. The check runs now, at `at` if given.
   */
  personalCheck?: VerifyPdfOptions;
}

/**
 * Prepares the agency's signature (two steps). Refuses, citing Nghị định 30/2020/NĐ-CP Điều 32
 * khoản 2, a document without a valid personal signature unless the basis is declared otherwise.
 *
 * @throws PdfError `OFFICIAL_PERSONAL_SIGNATURE_REQUIRED`, `OFFICIAL_PERSONAL_SIGNATURE_UNCHECKED`,
 * `OFFICIAL_CERTIFICATE_KIND`, `OFFICIAL_DOCMDP_WITHOUT_LATER_FIELDS`, `PDF_SIGN_INVALID_OPTION`,
 * and what `preparePdfSignature` throws; AppearanceError `APPEARANCE_*`.
 */
export async function prepareAgencySignature(
  pdf: Uint8Array,
  options: OfficialPrepareOptions & AgencyOptions,
): Promise<PreparedPdfSignature> {
  const signingTime = wholeSecond(options.signingTime);
  const a = options.appearance;
  if (a?.kind === 'seal' && (a.documentNumber || a.documentDate))
    throw invalid(
      'a number or date with the seal in two steps (prepare a "number" and a "date" signature after it)',
      'số hoặc ngày cùng con dấu khi ký hai bước (hãy chuẩn bị chữ ký "number" và "date" sau đó)',
    );
  const plan = await agencyPlan(pdf, options, options.certificate, signingTime);
  return preparePdfSignature(pdf, { ...stripAgency(options), ...plan, signingTime });
}

/**
 * The agency's signature in one call with a {@link Signer}. With the seal's `documentNumber` and
 * `documentDate`, two further agency signatures follow, each showing one of them in its own
 * widget (fields `<fieldName>_SoKyHieu` and `<fieldName>_NgayThang` when `fieldName` is given);
 * a `lock` goes on the last. Returns the last result. Throws as {@link prepareAgencySignature}.
 * @example
 * ```ts
 * const issued = await signAgency(personal.bytes, {
 *   signer: agencySigner, validation,
 *   appearance: { kind: 'seal', image: sealPng, widthMm: 36 },
 * });
 * ```
 */
export async function signAgency(
  pdf: Uint8Array,
  options: OfficialSignOptions & AgencyOptions,
): Promise<SignPdfResult> {
  const signingTime = wholeSecond(options.signingTime);
  const a = options.appearance;
  const further: AgencyAppearanceOptions[] = [];
  if (a?.kind === 'seal' && (a.documentNumber || a.documentDate)) {
    if (!a.font)
      throw invalid('a document number or date without a font', 'số hoặc ngày văn bản không có phông chữ');
    const common = { font: a.font, ...(a.fontSize !== undefined ? { fontSize: a.fontSize } : {}) };
    if (a.documentNumber)
      further.push({
        kind: 'number',
        text: a.documentNumber.text,
        page: a.documentNumber.page,
        at: a.documentNumber.at,
        ...common,
      });
    if (a.documentDate)
      further.push({
        kind: 'date',
        date: a.documentDate.date,
        page: a.documentDate.page,
        at: a.documentDate.at,
        ...common,
      });
  }
  // A FieldMDP lock goes on the last of the agency's signatures: on the seal's, it would lock out
  // the number and the date.
  const { lock, ...unlocked } = options;
  const lockOn = (last: boolean) => (last && lock ? { lock } : {});
  const plan = await agencyPlan(pdf, options, options.signer.certificate, signingTime);
  let result = await signPdf(pdf, {
    ...stripAgency(unlocked),
    ...lockOn(further.length === 0),
    ...plan,
    signingTime,
  });
  for (const [i, appearance] of further.entries()) {
    const suffix = appearance.kind === 'number' ? 'SoKyHieu' : 'NgayThang';
    const next = {
      ...unlocked,
      appearance,
      ...(options.fieldName ? { fieldName: `${options.fieldName}_${suffix}` } : {}),
    };
    const step = await agencyPlan(result.bytes, next, options.signer.certificate, signingTime);
    result = await signPdf(result.bytes, {
      ...stripAgency(next),
      ...lockOn(i === further.length - 1),
      ...step,
      signingTime,
    });
  }
  return result;
}

function stripAgency<T extends AgencyOptions>(options: T) {
  const { appearance: _a, basis: _b, personalCheck: _c, ...rest } = options;
  return rest;
}

interface AgencyPlan {
  visible: VisibleAppearance;
  reason: string;
}

async function agencyPlan(
  pdf: Uint8Array,
  options: AgencyOptions & { reason?: string; fieldName?: string },
  certificate: Uint8Array,
  signingTime: Date,
): Promise<AgencyPlan> {
  requireKind(certificate, 'organisation');
  const basis = options.basis ?? 'personal-signature';
  if (!['personal-signature', 'agency-copy', 'digitised-incoming'].includes(basis))
    throw invalid(`the basis "${basis}"`, `căn cứ "${basis}"`);
  const update = new IncrementalUpdate(pdf);
  if (certificationLevel(update.document) !== null)
    throw new PdfError(
      'OFFICIAL_DOCMDP_WITHOUT_LATER_FIELDS',
      "the document is certified (DocMDP): the agency's signature would be a new field added after the certification, which viewers flag; certify only after the agency's fields exist",
      {
        messageVi:
          'văn bản đã được chứng nhận (DocMDP): chữ ký của cơ quan sẽ là trường mới thêm sau chữ ký chứng nhận, trình xem sẽ cảnh báo; chỉ chứng nhận khi đã có sẵn các trường của cơ quan',
      },
    );
  const personalWidget =
    basis === 'personal-signature' ? await checkPersonal(pdf, options.personalCheck) : null;
  const a = options.appearance;
  const labels: Record<AgencyAppearanceOptions['kind'], string> = {
    seal: 'Chữ ký số của cơ quan: ban hành văn bản',
    number: 'Chữ ký số của cơ quan: số, ký hiệu văn bản',
    date: 'Chữ ký số của cơ quan: ngày, tháng, năm ban hành',
    copy: 'Chữ ký số của cơ quan: bản sao điện tử',
    attachment: 'Chữ ký số của cơ quan: văn bản kèm theo',
    urgent: 'Chữ ký số của cơ quan: dấu khẩn (quy định của tỉnh Lào Cai)',
  };
  const why =
    basis === 'agency-copy'
      ? ' (bản sao do cơ quan thực hiện)'
      : basis === 'digitised-incoming'
        ? ' (văn bản đến được số hóa)'
        : '';
  const kindLabel = a.kind === 'copy' ? `${labels.copy}: ${a.copyForm}` : labels[a.kind];
  const reason = `${kindLabel}${why}${options.reason ? `; ${options.reason}` : ''}`;
  switch (a.kind) {
    case 'seal': {
      const seal = agencySealAppearance({
        image: a.seal,
        ...(a.sealMm !== undefined ? { widthMm: a.sealMm } : {}),
      });
      const target = a.personalImage ?? personalWidget;
      if (!target)
        throw invalid(
          'a seal without the personal image to place it over (give personalImage)',
          'con dấu không có ảnh chữ ký cá nhân để đóng lên (hãy cho biết personalImage)',
        );
      const at = sealOverPersonal(target.rect, seal);
      return { visible: { page: target.page, appearance: seal, at: { x: at.x, y: at.y } }, reason };
    }
    case 'number':
    case 'date': {
      const text = a.kind === 'number' ? a.text : formatDocumentDate(a.date);
      const appearance = await textAppearance({ font: a.font, lines: [text], size: a.fontSize ?? 13 });
      return { visible: { page: a.page, appearance, at: a.at }, reason };
    }
    case 'copy':
    case 'attachment': {
      const appearance =
        a.kind === 'copy'
          ? await copyTextAppearance({ font: a.font, copyForm: a.copyForm, agency: a.agency, signingTime })
          : await attachmentTextAppearance({ font: a.font, documentNumber: a.documentNumber, signingTime });
      const first = pageRefs(update.document)[0];
      if (!first) throw invalid('a document without pages', 'văn bản không có trang');
      const box = topRightBox(pageGeometry(update, first), appearance);
      return { visible: { page: 1, appearance, at: { x: box.x, y: box.y } }, reason };
    }
    case 'urgent': {
      if (a.provincialRule !== 'lao-cai')
        throw invalid(
          'an urgency stamp without the provincial rule it follows (only "lao-cai")',
          'dấu khẩn không nêu quy định của tỉnh (chỉ "lao-cai")',
        );
      const appearance = urgentStampAppearance({
        image: a.stamp,
        ...(a.stampMm !== undefined ? { widthMm: a.stampMm } : {}),
      });
      return { visible: { page: a.page, appearance, at: a.at }, reason };
    }
    default:
      throw invalid('an unknown agency appearance', 'kiểu hiển thị chữ ký cơ quan không xác định');
  }
}

/**
 * Checks the document carries a valid personal signature: intact, covering its revision, only
 * allowed changes after it, a personal certificate validating to the given anchors, revocation
 * checked now. Returns the widget of the last such signature on the page as displayed.
 */
async function checkPersonal(
  pdf: Uint8Array,
  check: VerifyPdfOptions | undefined,
): Promise<{ page: number; rect: ViewRect } | null> {
  if (!check)
    throw invalid(
      'the personal-signature basis without personalCheck (trust anchors, revocation)',
      'căn cứ chữ ký cá nhân nhưng thiếu personalCheck (điểm tin cậy, thu hồi)',
    );
  const report = await verifyPdf(pdf, check);
  const personal = report.signatures.filter((s) => s.kind === 'signature' && s.signer.kind === 'personal');
  const valid = personal.filter(
    (s) =>
      s.indication === 'TOTAL_PASSED' &&
      s.intact &&
      (s.modifiedAfter === 'none' || s.modifiedAfter === 'allowed'),
  );
  const last = valid.at(-1);
  if (!last) {
    const unchecked = personal.some((s) => s.intact && s.indication === 'INDETERMINATE');
    if (unchecked)
      throw new PdfError(
        'OFFICIAL_PERSONAL_SIGNATURE_UNCHECKED',
        "the personal signature could not be checked (revocation or path unknown now); the agency's signature waits until it can (Nghị định 30/2020/NĐ-CP Điều 32 khoản 2)",
        {
          messageVi:
            'không kiểm tra được chữ ký cá nhân (chưa rõ tình trạng thu hồi hoặc đường dẫn chứng thư); chữ ký của cơ quan phải chờ đến khi kiểm tra được (Nghị định 30/2020/NĐ-CP Điều 32 khoản 2)',
        },
      );
    throw new PdfError(
      'OFFICIAL_PERSONAL_SIGNATURE_REQUIRED',
      "the document has no valid signature of the competent person: the agency's signature may be applied only after it, or to a copy the agency made or an incoming document it digitised, declared as such (Nghị định 30/2020/NĐ-CP Điều 32 khoản 2)",
      {
        messageVi:
          'văn bản chưa có chữ ký số hợp lệ của người có thẩm quyền: chỉ được ký số của cơ quan sau chữ ký đó, hoặc trên bản sao do cơ quan thực hiện hay văn bản đến được số hóa, khi khai báo như vậy (Nghị định 30/2020/NĐ-CP Điều 32 khoản 2)',
      },
    );
  }
  const update = new IncrementalUpdate(pdf);
  const doc = update.document;
  const field = formFields(doc).find((f) => f.name === last.fieldName);
  if (!field) return null;
  const kids = doc.deref(field.dict.get('Kids'));
  const widgetValue = Array.isArray(kids) && kids[0] instanceof PdfRef ? doc.deref(kids[0]) : field.dict;
  if (!(widgetValue instanceof PdfDict)) return null;
  const rect = doc.deref(widgetValue.get('Rect'));
  const pageRef = widgetValue.get('P');
  if (!Array.isArray(rect) || rect.length !== 4 || !rect.every((n) => typeof n === 'number')) return null;
  if (!(pageRef instanceof PdfRef)) return null;
  const index = pageRefs(doc).findIndex((r) => r.num === pageRef.num);
  if (index < 0) return null;
  const r = rect as number[];
  const view = userRectToView(pageGeometry(update, pageRef), [
    Math.min(r[0]!, r[2]!),
    Math.min(r[1]!, r[3]!),
    Math.max(r[0]!, r[2]!),
    Math.max(r[1]!, r[3]!),
  ]);
  return view.width > 0 && view.height > 0 ? { page: index + 1, rect: view } : null;
}

function requireKind(certificate: Uint8Array, kind: 'personal' | 'organisation'): void {
  const actual = describeCertificate(parseCertificateDer(certificate)).kind;
  if (actual === kind) return;
  const en = kind === 'personal' ? 'a personal certificate' : "the agency's (organisation) certificate";
  const vi = kind === 'personal' ? 'chứng thư cá nhân' : 'chứng thư của cơ quan, tổ chức';
  throw new PdfError(
    'OFFICIAL_CERTIFICATE_KIND',
    `this signature needs ${en}; the certificate given is of kind "${actual}" (Nghị định 30/2020/NĐ-CP Điều 32 khoản 2)`,
    {
      messageVi: `chữ ký này cần ${vi}; chứng thư được cung cấp thuộc loại "${actual}" (Nghị định 30/2020/NĐ-CP Điều 32 khoản 2)`,
    },
  );
}

/**
 * A document date as Phụ lục I writes it: "ngày 01 tháng 12 năm 2026", a zero before a day under
 * 10 and before months 1 and 2. `date` is `YYYY-MM-DD`.
 */
export function formatDocumentDate(date: string): string {
  const m = /^(\d{4})-(\d{2})-(\d{2})$/.exec(date);
  const d = m ? new Date(`${date}T00:00:00Z`) : undefined;
  if (!m || !d || Number.isNaN(d.getTime()) || d.toISOString().slice(0, 10) !== date)
    throw invalid(`the date "${date}" (expected YYYY-MM-DD)`, `ngày "${date}" (cần dạng YYYY-MM-DD)`);
  const day = Number(m[3]);
  const month = Number(m[2]);
  return `ngày ${day < 10 ? `0${day}` : day} tháng ${month < 3 ? `0${month}` : month} năm ${m[1]}`;
}

/** The signing time to the second (`/M` and the drawn time show seconds; both must agree). */
function wholeSecond(time: Date | undefined): Date {
  const t = time ?? new Date();
  return new Date(Math.floor(t.getTime() / 1000) * 1000);
}

function invalid(en: string, vi: string): PdfError {
  return new PdfError('PDF_SIGN_INVALID_OPTION', `invalid signing option: ${en}`, {
    messageVi: `tùy chọn ký không hợp lệ: ${vi}`,
  });
}
