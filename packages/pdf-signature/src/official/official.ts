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
 * call with a `Signer`.
 */
import { describeCertificate, parseCertificateDer } from '@kyso/core';
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
import type { AppearanceWarning } from '../appearance/errors.js';
import type { AppearanceFont } from '../appearance/font.js';
import { mmToPt, topRightBox, type ViewRect } from '../appearance/geometry.js';
import type { FormXObject } from '../appearance/xobject.js';
import { PdfError } from '../errors.js';
import type { PdfDocument } from '../reader/document.js';
import { isPdfA1 } from '../reader/pdfa.js';
import type { SigningWarning, SignPdfResult } from '../sign/complete.js';
import { type FormField, formFields, isEmptySignatureField, pageGeometry, pageRefs } from '../sign/form.js';
import { certificationLevel, type FieldLockSpec, fieldLock } from '../sign/mdp.js';
import {
  addSignaturePlaceholder,
  type FieldAppearance,
  type ReservedField,
  type VisibleAppearance,
} from '../sign/placeholder.js';
import {
  fieldNameFor,
  type PreparedPdfSignature,
  type PreparePdfSignatureOptions,
  preparePdfSignature,
  signingAlgorithm,
} from '../sign/prepare.js';
import { type SignPdfOptions, signPdf } from '../sign/sign-pdf.js';
import { type VerifyPdfOptions, verifyPdf } from '../verify/verify-pdf.js';
import { IncrementalUpdate } from '../writer/incremental.js';
import { overlaps, type WidgetPlace, widgetPlace } from './personal-image.js';

/** The signing options the flow passes through (its own decide the field's look). */
export type OfficialPrepareOptions = Omit<
  PreparePdfSignatureOptions,
  'visible' | 'fieldAppearance' | 'reserveFields'
>;
/** The one-call signing options the flow passes through. */
export type OfficialSignOptions = Omit<SignPdfOptions, 'visible' | 'fieldAppearance' | 'reserveFields'>;

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
  /**
   * PDF/A-1 target: a stencil mask instead of an SMask, which PDF/A-1 forbids. Default: what the
   * document's XMP metadata claims (`pdfaid:part` 1).
   */
  pdfA1?: boolean;
  /**
   * The agency's fields to reserve, empty, in the personal signature's own revision, for the văn
   * thư to fill later with `signAgency`. Needed to certify the personal signature (DocMDP /P 2),
   * since viewers flag fields added after a certification.
   */
  agencyFields?: AgencyFieldsPlan;
}

/** The seal field's default name; the number's and the date's add `_SoKyHieu` and `_NgayThang`. */
export const AGENCY_FIELD_NAME = 'CoQuan';
const NUMBER_SUFFIX = '_SoKyHieu';
const DATE_SUFFIX = '_NgayThang';

/** The agency's signature fields the personal signature reserves (see {@link PersonalAppearanceOptions.agencyFields}). */
export interface AgencyFieldsPlan {
  /** The seal field's name. Default {@link AGENCY_FIELD_NAME}; the number's and the date's add `_SoKyHieu` and `_NgayThang`. */
  fieldName?: string;
  /**
   * The seal's width in mm: a square of that side is reserved over the left third of the personal
   * image as drawn (centred in the placement, its aspect ratio kept), centred on it vertically, as
   * `signAgency` would place it. The seal drawn later must fit.
   */
  sealMm: number;
  /** The number's box on the page as displayed (after "Số:"), wide enough for the number to come. */
  number?: { page: number; rect: ViewRect };
  /** The date's box on the page as displayed (after the place name), wide enough for "ngày … năm …". */
  date?: { page: number; rect: ViewRect };
  /**
   * A FieldMDP lock the last reserved field carries, which the agency's last signature applies
   * (`signAgency` accepts a `lock` then only when it is this one). Default none.
   */
  lock?: FieldLockSpec;
}

/** Common to the personal options of both API forms. */
export type PersonalOptions<T> = T & PersonalAppearanceOptions;

/**
 * Prepares the competent person's signature (two steps; complete with `completePdfSignature`).
 * The appearance's warnings (an image without transparency or not blue) are in the result's
 * `warnings`, and in complete's.
 *
 * @throws PdfError `OFFICIAL_DOCMDP_NO_CHANGES` (`certify: 1`, which would forbid the agency's
 * signature), `OFFICIAL_CERTIFICATE_KIND` (not a personal certificate),
 * `OFFICIAL_DOCMDP_WITHOUT_LATER_FIELDS` (a certification before the agency's fields exist), and
 * what `preparePdfSignature` throws; AppearanceError `APPEARANCE_*`.
 */
export async function preparePersonalSignature(
  pdf: Uint8Array,
  options: PersonalOptions<OfficialPrepareOptions>,
): Promise<PreparedPdfSignature> {
  const signingTime = wholeSecond(options.signingTime);
  const plan = personalPlan(pdf, options, options.certificate);
  return preparePdfSignature(pdf, { ...stripPersonal(options), signingTime, ...plan });
}

/**
 * The competent person's signature in one call with a `Signer` (`@kyso/core`). Throws as
 * {@link preparePersonalSignature}; the appearance's warnings are in the result's `warnings`.
 *
 * @example
 * ```ts
 * import { findSignatureAnchors } from '@kyso/pdf-signature/node';
 * const anchors = await findSignatureAnchors(letter, {
 *   title: 'KT. GIÁM ĐỐC / PHÓ GIÁM ĐỐC', name: 'Nguyễn Văn An',
 * });
 * const personal = await signPersonal(letter, {
 *   signer: leaderSigner, validation, image: signaturePng,
 *   placement: { anchors },
 * });
 * ```
 */
export async function signPersonal(
  pdf: Uint8Array,
  options: PersonalOptions<OfficialSignOptions>,
): Promise<SignPdfResult> {
  const signingTime = wholeSecond(options.signingTime);
  const plan = personalPlan(pdf, options, options.signer.certificate);
  return signPdf(pdf, { ...stripPersonal(options), signingTime, ...plan });
}

function stripPersonal<T extends PersonalAppearanceOptions>(options: T) {
  const { image: _i, placement: _p, pdfA1: _a, agencyFields: _f, ...rest } = options;
  return rest;
}

function personalPlan(
  pdf: Uint8Array,
  options: PersonalAppearanceOptions & { certify?: 1 | 2 | 3 },
  certificate: Uint8Array,
): { visible: VisibleAppearance; reserveFields?: ReservedField[] } {
  if (options.certify === 1)
    throw new PdfError(
      'OFFICIAL_DOCMDP_NO_CHANGES',
      "a DocMDP certification with no changes permitted (certify: 1) on the personal signature would forbid the agency's signature, which must follow it (Nghị định 30/2020/NĐ-CP Điều 32 khoản 2); certify with 2 and reserve the agency's fields (agencyFields), or sign without certify",
      {
        messageVi:
          'chữ ký cá nhân chứng nhận không cho phép thay đổi (certify: 1) sẽ ngăn chữ ký số của cơ quan, vốn phải được ký sau (Nghị định 30/2020/NĐ-CP Điều 32 khoản 2); hãy chứng nhận mức 2 và dành sẵn các trường của cơ quan (agencyFields), hoặc ký không chứng nhận',
      },
    );
  requireKind(certificate, 'personal');
  const update = new IncrementalUpdate(pdf);
  if (options.certify !== undefined && !options.agencyFields) {
    const empty = formFields(update.document).filter(isEmptySignatureField);
    if (empty.length === 0)
      throw new PdfError(
        'OFFICIAL_DOCMDP_WITHOUT_LATER_FIELDS',
        "a DocMDP certification on the personal signature needs the agency's signature fields to exist first (viewers flag fields added after a certification); reserve them with agencyFields, or sign without certify",
        {
          messageVi:
            'khóa DocMDP trên chữ ký cá nhân cần có sẵn các trường chữ ký của cơ quan (trình xem cảnh báo trường được thêm sau chữ ký chứng nhận); hãy dành sẵn chúng bằng agencyFields, hoặc ký không chứng nhận',
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
    pdfA1: options.pdfA1 ?? isPdfA1(update.document),
  });
  const visible = { page, appearance, at: { x: rect.x, y: rect.y } };
  if (!options.agencyFields) return { visible };
  // The seal goes over the image as drawn: centred in the rectangle, its aspect ratio kept.
  const box = appearance.imageBox;
  const image = { x: rect.x + box.x, y: rect.y + box.y, width: box.width, height: box.height };
  return { visible, reserveFields: agencyFieldsFor(options.agencyFields, page, image) };
}

/** The agency's empty fields: the seal's square over the personal image, then the number's and the date's boxes. */
function agencyFieldsFor(plan: AgencyFieldsPlan, page: number, personalImage: ViewRect): ReservedField[] {
  const side = mmToPt(plan.sealMm);
  if (!(Number.isFinite(side) && side > 0))
    throw invalid(`a seal of ${plan.sealMm} mm`, `con dấu ${plan.sealMm} mm`);
  const name = plan.fieldName ?? AGENCY_FIELD_NAME;
  const fields: ReservedField[] = [
    { fieldName: name, page, rect: sealOverPersonal(personalImage, { width: side, height: side }) },
  ];
  if (plan.number) fields.push({ fieldName: name + NUMBER_SUFFIX, ...plan.number });
  if (plan.date) fields.push({ fieldName: name + DATE_SUFFIX, ...plan.date });
  const last = fields.at(-1)!;
  if (plan.lock) fields[fields.length - 1] = { ...last, lock: plan.lock };
  return fields;
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
  /** The page, from 1. Not with a field the personal signature reserved, which has its place. */
  page?: number;
  /** Its box's lower-left corner on the page as displayed, in points. Not with a reserved field. */
  at?: { x: number; y: number };
}

/** A number or a date drawn by one of the agency's signatures (Nghị định 30/2020 Điều 15 khoản 3). */
export interface AgencyTextPlace {
  /** The page, from 1. Not with a field the personal signature reserved, which has its place. */
  page?: number;
  /** The box's lower-left corner on the page as displayed, in points. Not with a reserved field. */
  at?: { x: number; y: number };
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
       * The personal image's area the seal covers the left third of. Default: the image drawn in
       * the widget of the document's last valid personal signature (read from the widget's
       * appearance; when it cannot be, the widget's rectangle, with the warning
       * `APPEARANCE_PERSONAL_IMAGE_NOT_FOUND`).
       */
      personalImage?: { page: number; rect: ViewRect };
      /**
       * With `signAgency` only: the document number, drawn by a further agency signature right after
       * the seal's (as the Government's own files do). In two steps, prepare a `number` signature.
       */
      documentNumber?: WidgetText;
      /** With `signAgency` only: the date, `YYYY-MM-DD`, drawn by a further agency signature. */
      documentDate?: { date: string; page?: number; at?: { x: number; y: number } };
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
   * `personal-signature` basis. The check runs now, as Điều 32 khoản 2 asks of the agency signing
   * now: an `at` is refused.
   */
  personalCheck?: VerifyPdfOptions;
  /**
   * PDF/A-1 target: the seal and the urgency stamp as stencil masks instead of images with an
   * SMask, which PDF/A-1 forbids. Default: what the document's XMP metadata claims (`pdfaid:part` 1).
   */
  pdfA1?: boolean;
}

/**
 * Prepares the agency's signature (two steps). Refuses, citing Nghị định 30/2020/NĐ-CP Điều 32
 * khoản 2, a document without a valid personal signature unless the basis is declared otherwise.
 * A `lock` on a field the personal signature reserved must be the lock it was reserved with.
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
  const context = await agencyContext(pdf, options, options.certificate);
  const plan = await agencyPlan(pdf, options, context, signingTime);
  return preparePdfSignature(pdf, { ...stripAgency(options), ...plan, signingTime });
}

/**
 * The agency's signature in one call with a `Signer` (`@kyso/core`). With the seal's `documentNumber` and
 * `documentDate`, two further agency signatures follow, each showing one of them in its own
 * widget (fields `<fieldName>_SoKyHieu` and `<fieldName>_NgayThang` when `fieldName` is given);
 * a `lock` goes on the last (when the last field was reserved by the personal signature, the lock
 * it was reserved with applies: a `lock` given must be that one). Every step is planned and tried
 * on the document's structure before the first is signed, so a step that would be refused is
 * refused before anything is signed. Returns the last result, with the warnings of every step.
 * Throws as {@link prepareAgencySignature}.
 * @example
 * ```ts
 * const issued = await signAgency(personal.bytes, {
 *   signer: agencySigner, validation, personalCheck: { trustAnchors, crls },
 *   appearance: { kind: 'seal', seal: sealPng, sealMm: 36 },
 * });
 * ```
 */
export async function signAgency(
  pdf: Uint8Array,
  options: OfficialSignOptions & AgencyOptions,
): Promise<SignPdfResult> {
  const signingTime = wholeSecond(options.signingTime);
  const steps = agencySteps(options.appearance);
  const { signer } = options;
  const context = await agencyContext(pdf, options, signer.certificate);
  const plans = await planSteps(pdf, steps, options, context, {
    signingTime,
    digestAlgorithm: signingAlgorithm(signer.certificate, signer.algorithm).hash,
  });
  let result: SignPdfResult | undefined;
  const warnings: SigningWarning[] = [];
  for (const plan of plans) {
    result = await signPdf(result?.bytes ?? pdf, { ...stripAgency(options), ...plan, signingTime });
    for (const w of result.warnings) if (!warnings.some((x) => x.en === w.en)) warnings.push(w);
  }
  return { ...result!, warnings };
}

/** The seal, then the number's and the date's signatures when the seal brings them. */
function agencySteps(a: AgencyAppearanceOptions): AgencyAppearanceOptions[] {
  if (a?.kind !== 'seal' || !(a.documentNumber || a.documentDate)) return [a];
  if (!a.font)
    throw invalid('a document number or date without a font', 'số hoặc ngày văn bản không có phông chữ');
  const common = { font: a.font, ...(a.fontSize !== undefined ? { fontSize: a.fontSize } : {}) };
  const place = (w: { page?: number; at?: { x: number; y: number } }) => ({
    ...(w.page !== undefined ? { page: w.page } : {}),
    ...(w.at !== undefined ? { at: w.at } : {}),
  });
  const steps: AgencyAppearanceOptions[] = [a];
  if (a.documentNumber)
    steps.push({ kind: 'number', text: a.documentNumber.text, ...place(a.documentNumber), ...common });
  if (a.documentDate)
    steps.push({ kind: 'date', date: a.documentDate.date, ...place(a.documentDate), ...common });
  return steps;
}

/**
 * Every step's plan, before anything is signed. With several steps, each is tried on the
 * structure the previous ones leave: its placeholder is added (the field it creates or fills, the
 * lock it sets, its appearance placed and fitted: all the real signature writes but its value),
 * and the next step is planned on that. A step the signing would refuse (a date that is not one, a
 * number too wide for its reserved box, a new field on a certified document) is refused here.
 */
async function planSteps(
  pdf: Uint8Array,
  steps: AgencyAppearanceOptions[],
  options: { fieldName?: string; reason?: string; lock?: FieldLockSpec; certify?: 1 | 2 | 3 },
  context: AgencyContext,
  probe: { signingTime: Date; digestAlgorithm: string },
): Promise<(AgencyPlan & { fieldName: string })[]> {
  const plans: (AgencyPlan & { fieldName: string })[] = [];
  let bytes = pdf;
  let sealName = '';
  for (const [i, appearance] of steps.entries()) {
    const last = i === steps.length - 1;
    // Named after the seal's field, as the personal signature names the fields it reserves.
    const given =
      i === 0 ? options.fieldName : sealName + (appearance.kind === 'number' ? NUMBER_SUFFIX : DATE_SUFFIX);
    const step = {
      appearance,
      ...(given !== undefined ? { fieldName: given } : {}),
      ...(options.reason !== undefined ? { reason: options.reason } : {}),
      // A FieldMDP lock goes on the last: on the seal's, it would lock out the number and the date.
      ...(last && options.lock ? { lock: options.lock } : {}),
    };
    const plan = await agencyPlan(bytes, step, context, probe.signingTime);
    const fieldName = fieldNameFor(bytes, plan.fieldName);
    if (i === 0) sealName = fieldName;
    plans.push({ ...plan, fieldName });
    if (steps.length > 1)
      bytes = addSignaturePlaceholder(bytes, {
        ...plan,
        fieldName,
        contentsSize: 1,
        signingTime: probe.signingTime,
        digestAlgorithm: probe.digestAlgorithm,
        ...(options.certify !== undefined ? { certify: options.certify } : {}),
      }).bytes;
  }
  return plans;
}

function stripAgency<T extends AgencyOptions & { lock?: FieldLockSpec }>(options: T) {
  const { appearance: _a, basis: _b, personalCheck: _c, pdfA1: _p, lock: _l, ...rest } = options;
  return rest;
}

/** What every step of one agency signing shares: checked once, before any step is planned. */
interface AgencyContext {
  /** The last valid personal signature's widget, when the basis is the personal signature. */
  personal: WidgetPlace | null;
  pdfA1: boolean;
  basis: AgencyBasis;
}

async function agencyContext(
  pdf: Uint8Array,
  options: AgencyOptions,
  certificate: Uint8Array,
): Promise<AgencyContext> {
  requireKind(certificate, 'organisation');
  const basis = options.basis ?? 'personal-signature';
  if (!['personal-signature', 'agency-copy', 'digitised-incoming'].includes(basis))
    throw invalid(`the basis "${basis}"`, `căn cứ "${basis}"`);
  if (!options.appearance || typeof options.appearance !== 'object')
    throw invalid('no appearance for the agency signature', 'chữ ký của cơ quan không có kiểu hiển thị');
  const personal = basis === 'personal-signature' ? await checkPersonal(pdf, options.personalCheck) : null;
  const pdfA1 = options.pdfA1 ?? isPdfA1(new IncrementalUpdate(pdf).document);
  return { personal, pdfA1, basis };
}

/** Where the agency's signature goes: a new field at a place, or a field reserved for it. */
type AgencyPlan = { reason: string; fieldName?: string; lock?: FieldLockSpec } & (
  | { visible: VisibleAppearance }
  | { fieldAppearance: FieldAppearance }
);

/**
 * The field an agency signature of this kind signs: the caller's name, else the default (the
 * seal's `CoQuan`, its number's and date's, or the urgency stamp's) when no signed field has it.
 * `reserved` when it is an empty signature field (reserved by the personal signature). An empty
 * field of the seal's default name is the seal's only when the document is certified or the field
 * lies over the personal signature; otherwise it is someone else's, and the seal gets a new field.
 */
function agencyField(
  update: IncrementalUpdate,
  kind: AgencyAppearanceOptions['kind'],
  given: string | undefined,
  personal: { page: number; rect: ViewRect } | null,
): { name: string | undefined; reserved: FormField | undefined } {
  const doc = update.document;
  const fallback =
    kind === 'number'
      ? AGENCY_FIELD_NAME + NUMBER_SUFFIX
      : kind === 'date'
        ? AGENCY_FIELD_NAME + DATE_SUFFIX
        : kind === 'urgent'
          ? `${AGENCY_FIELD_NAME}_DoKhan`
          : AGENCY_FIELD_NAME;
  const fields = formFields(doc);
  // A number or date field reserved under another seal name (agencyFields.fieldName): the one
  // empty field with its suffix, so two steps find it as signAgency does.
  const suffix = kind === 'number' ? NUMBER_SUFFIX : kind === 'date' ? DATE_SUFFIX : undefined;
  const reservedElsewhere = suffix
    ? fields.filter((f) => f.name.endsWith(suffix) && isEmptySignatureField(f))
    : [];
  const name = given ?? (reservedElsewhere.length === 1 ? reservedElsewhere[0]!.name : fallback);
  const field = fields.find((f) => f.name === name);
  const empty = field !== undefined && isEmptySignatureField(field);
  if (empty && given !== undefined) return { name, reserved: field };
  // A copy or an attachment fills a reserved field only when the caller names it: the default
  // one is the seal's square.
  if (empty && (kind === 'number' || kind === 'date')) return { name, reserved: field };
  if (empty && kind === 'seal') {
    const place = widgetPlace(update, field);
    const ours =
      certificationLevel(doc) !== null || (place !== null && personal !== null && overlaps(place, personal));
    if (ours) return { name, reserved: field };
  }
  if (given !== undefined) return { name, reserved: undefined };
  return { name: field ? undefined : fallback, reserved: undefined };
}

/**
 * The lock the signature sets. On a reserved field, the field's own /Lock applies (the signature
 * filling it repeats it); a `lock` given must be that one, or it would silently not apply.
 */
function lockFor(
  doc: PdfDocument,
  field: FormField | undefined,
  lock: FieldLockSpec | undefined,
): FieldLockSpec | undefined {
  if (!lock || !field) return lock;
  const own = fieldLock(doc, field.dict);
  if (own && sameLock(own.lock, lock)) return undefined;
  const held = own ? `the lock ${describeLock(own.lock)}` : 'no lock';
  const heldVi = own ? `khóa ${describeLock(own.lock)}` : 'không có khóa';
  throw invalid(
    `the lock ${describeLock(lock)} for the field "${field.name}", which the personal signature reserved with ${held}: the lock was set when the field was reserved (agencyFields.lock), and the signature filling it applies that one; give the same lock or none`,
    `khóa ${describeLock(lock)} cho trường "${field.name}", vốn được chữ ký cá nhân dành sẵn với ${heldVi}: khóa được đặt khi dành sẵn trường (agencyFields.lock) và chữ ký điền vào trường áp dụng khóa đó; hãy cho cùng khóa đó hoặc không cho khóa`,
  );
}

function sameLock(a: FieldLockSpec, b: FieldLockSpec): boolean {
  if (a.action !== b.action) return false;
  if (a.action === 'All') return true;
  const x = new Set(a.fields ?? []);
  const y = new Set(b.fields ?? []);
  return x.size === y.size && [...x].every((f) => y.has(f));
}

function describeLock(lock: FieldLockSpec): string {
  return lock.action === 'All' ? 'All' : `${lock.action} [${(lock.fields ?? []).join(', ')}]`;
}

async function agencyPlan(
  pdf: Uint8Array,
  options: { appearance: AgencyAppearanceOptions; reason?: string; fieldName?: string; lock?: FieldLockSpec },
  context: AgencyContext,
  signingTime: Date,
): Promise<AgencyPlan> {
  const a = options.appearance;
  const update = new IncrementalUpdate(pdf);
  const personalPlace = a.kind === 'seal' && a.personalImage ? a.personalImage : (context.personal ?? null);
  const field = agencyField(update, a.kind, options.fieldName, personalPlace);
  if (certificationLevel(update.document) !== null && !field.reserved)
    throw new PdfError(
      'OFFICIAL_DOCMDP_WITHOUT_LATER_FIELDS',
      `the document is certified (DocMDP) and has no empty field "${field.name ?? AGENCY_FIELD_NAME}" reserved for the agency's signature: a new field added after the certification is flagged by viewers; reserve the agency's fields when the personal signature certifies (agencyFields)`,
      {
        messageVi: `văn bản đã được chứng nhận (DocMDP) và không có trường trống "${field.name ?? AGENCY_FIELD_NAME}" dành sẵn cho chữ ký của cơ quan: trường mới thêm sau chữ ký chứng nhận sẽ bị trình xem cảnh báo; hãy dành sẵn các trường của cơ quan khi chữ ký cá nhân chứng nhận (agencyFields)`,
      },
    );
  const lock = lockFor(update.document, field.reserved, options.lock);
  const common = {
    ...(field.name !== undefined ? { fieldName: field.name } : {}),
    ...(lock ? { lock } : {}),
  };
  /** In the reserved field, or at `place` (which a reserved field must not be given). */
  const placed = (
    appearance: FormXObject,
    place: { page?: number | undefined; at?: { x: number; y: number } | undefined },
    align: FieldAppearance['align'] = 'centre',
  ): AgencyPlan => {
    if (field.reserved) {
      if (place.page !== undefined || place.at !== undefined)
        throw invalid(
          `a place for the field "${field.name}", reserved by the personal signature with its own`,
          `vị trí cho trường "${field.name}", đã được chữ ký cá nhân dành sẵn với vị trí riêng`,
        );
      return { ...common, reason, fieldAppearance: { appearance, align } };
    }
    if (place.page === undefined || place.at === undefined)
      throw invalid(
        `the ${a.kind} without its page and place, and no field "${field.name}" reserved for it`,
        `${a.kind} thiếu trang và vị trí, và không có trường "${field.name}" dành sẵn`,
      );
    return { ...common, reason, visible: { page: place.page, appearance, at: place.at } };
  };
  const labels: Record<AgencyAppearanceOptions['kind'], string> = {
    seal: 'Chữ ký số của cơ quan: ban hành văn bản',
    number: 'Chữ ký số của cơ quan: số, ký hiệu văn bản',
    date: 'Chữ ký số của cơ quan: ngày, tháng, năm ban hành',
    copy: 'Chữ ký số của cơ quan: bản sao điện tử',
    attachment: 'Chữ ký số của cơ quan: văn bản kèm theo',
    urgent: 'Chữ ký số của cơ quan: dấu khẩn (quy định của tỉnh Lào Cai)',
  };
  if (!Object.hasOwn(labels, a.kind))
    throw invalid('an unknown agency appearance', 'kiểu hiển thị chữ ký cơ quan không xác định');
  const why =
    context.basis === 'agency-copy'
      ? ' (bản sao do cơ quan thực hiện)'
      : context.basis === 'digitised-incoming'
        ? ' (văn bản đến được số hóa)'
        : '';
  const kindLabel = a.kind === 'copy' ? `${labels.copy}: ${a.copyForm}` : labels[a.kind];
  const reason = `${kindLabel}${why}${options.reason ? `; ${options.reason}` : ''}`;
  switch (a.kind) {
    case 'seal': {
      let seal: FormXObject = agencySealAppearance({
        image: a.seal,
        pdfA1: context.pdfA1,
        ...(a.sealMm !== undefined ? { widthMm: a.sealMm } : {}),
      });
      if (field.reserved) return placed(seal, a.personalImage ?? {});
      let target = a.personalImage;
      if (!target && context.personal) {
        const { page, rect, image } = context.personal;
        target = { page, rect: image ?? rect };
        if (!image) seal = { ...seal, warnings: [...seal.warnings, PERSONAL_IMAGE_NOT_FOUND] };
      }
      if (!target)
        throw invalid(
          'a seal without the personal image to place it over (give personalImage)',
          'con dấu không có ảnh chữ ký cá nhân để đóng lên (hãy cho biết personalImage)',
        );
      const at = sealOverPersonal(target.rect, seal);
      return placed(seal, { page: target.page, at: { x: at.x, y: at.y } });
    }
    case 'number':
    case 'date': {
      const text = a.kind === 'number' ? a.text : formatDocumentDate(a.date);
      const appearance = await textAppearance({ font: a.font, lines: [text], size: a.fontSize ?? 13 });
      return placed(appearance, a, 'start');
    }
    case 'copy':
    case 'attachment': {
      const appearance =
        a.kind === 'copy'
          ? await copyTextAppearance({ font: a.font, copyForm: a.copyForm, agency: a.agency, signingTime })
          : await attachmentTextAppearance({ font: a.font, documentNumber: a.documentNumber, signingTime });
      if (field.reserved) return placed(appearance, {}, 'start');
      const first = pageRefs(update.document)[0];
      if (!first) throw invalid('a document without pages', 'văn bản không có trang');
      const box = topRightBox(pageGeometry(update, first), appearance);
      return placed(appearance, { page: 1, at: { x: box.x, y: box.y } });
    }
    case 'urgent': {
      if (a.provincialRule !== 'lao-cai')
        throw invalid(
          'an urgency stamp without the provincial rule it follows (only "lao-cai")',
          'dấu khẩn không nêu quy định của tỉnh (chỉ "lao-cai")',
        );
      const appearance = urgentStampAppearance({
        image: a.stamp,
        pdfA1: context.pdfA1,
        ...(a.stampMm !== undefined ? { widthMm: a.stampMm } : {}),
      });
      return placed(appearance, a);
    }
    default:
      throw invalid('an unknown agency appearance', 'kiểu hiển thị chữ ký cơ quan không xác định');
  }
}

/** The seal placed over the personal signature's widget, because the image in it was not found. */
const PERSONAL_IMAGE_NOT_FOUND: AppearanceWarning = {
  code: 'APPEARANCE_PERSONAL_IMAGE_NOT_FOUND',
  rule: 'N30-PL1-2',
  message:
    "the personal signature's image could not be located in its widget's appearance: the seal is placed over the left third of the widget's rectangle instead; give personalImage to place it over the image (N30-PL1-2)",
  messageVi:
    'không xác định được vị trí ảnh chữ ký cá nhân trong giao diện widget của nó: con dấu được đóng lên một phần ba bên trái của hình chữ nhật widget; hãy cho biết personalImage để đóng lên ảnh (N30-PL1-2)',
};

/**
 * Checks the document carries a valid personal signature: intact, covering its revision, only
 * allowed changes after it, a personal certificate validating to the given anchors, revocation
 * checked now. Returns the widget of the last such signature (and the image in it) on the page as
 * displayed.
 */
async function checkPersonal(
  pdf: Uint8Array,
  check: VerifyPdfOptions | undefined,
): Promise<WidgetPlace | null> {
  if (!check)
    throw invalid(
      'the personal-signature basis without personalCheck (trust anchors, revocation)',
      'căn cứ chữ ký cá nhân nhưng thiếu personalCheck (điểm tin cậy, thu hồi)',
    );
  if (check.at !== undefined)
    throw invalid(
      'personalCheck.at: the personal signature is checked now, when the agency signs (Nghị định 30/2020/NĐ-CP Điều 32 khoản 2)',
      'personalCheck.at: chữ ký cá nhân được kiểm tra tại thời điểm cơ quan ký số (Nghị định 30/2020/NĐ-CP Điều 32 khoản 2)',
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
  // A signature after it that is broken, or a document that fails as a whole, is not issued: the
  // agency's signature would vouch for whatever that signature's update did.
  const after = last ? report.signatures.indexOf(last) : -1;
  const failedAt = report.signatures.findIndex((s, i) => i > after && s.indication === 'TOTAL_FAILED');
  const failed = failedAt < 0 ? undefined : report.signatures[failedAt];
  if (last && (failed || report.indication === 'TOTAL_FAILED'))
    throw new PdfError(
      'OFFICIAL_DOCUMENT_NOT_VALID',
      `the document fails verification after the personal signature${failed ? ` (signature ${failedAt + 1}, field "${failed.fieldName}")` : ''}: the agency does not sign it (Nghị định 30/2020/NĐ-CP Điều 32 khoản 2)`,
      {
        messageVi: `văn bản không hợp lệ khi kiểm tra sau chữ ký cá nhân${failed ? ` (chữ ký thứ ${failedAt + 1}, trường "${failed.fieldName}")` : ''}: cơ quan không ký số văn bản này (Nghị định 30/2020/NĐ-CP Điều 32 khoản 2)`,
      },
    );
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
  const field = formFields(update.document).find((f) => f.name === last.fieldName);
  return field ? widgetPlace(update, field) : null;
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
