import { readFileSync } from 'node:fs';
import type { Signer } from '@kyso/core';
import {
  type AgencyAppearanceOptions,
  type AgencyBasis,
  type AgencyFieldsPlan,
  type AgencyOptions,
  type FieldLockSpec,
  type PersonalAppearanceOptions,
  type PersonalPlacement,
  type PreparedPdfSignature,
  prepareAgencySignature,
  preparePersonalSignature,
  type SignerValidationOptions,
  type SignPdfResult,
  signAgency,
  signPersonal,
} from '@kyso/pdf-signature';
import { findSignatureAnchors, loadDefaultFont } from '@kyso/pdf-signature/node';
import { UsageError } from '../io.js';
import { requireFile } from './trust-options.js';

/**
 * `kyso sign --kind …`: the visible signatures of Nghị định 30/2020 (Phụ lục I) through the
 * personal-then-agency flow of `@kyso/pdf-signature` (`signPersonal`, `signAgency`).
 */

/** The options `--kind` brings to `kyso sign`. */
export const OFFICIAL_OPTIONS = {
  kind: { type: 'string' },
  image: { type: 'string' },
  seal: { type: 'string' },
  'seal-mm': { type: 'string' },
  'anchor-title': { type: 'string' },
  'anchor-name': { type: 'string' },
  'copy-form': { type: 'string' },
  agency: { type: 'string' },
  'doc-number': { type: 'string' },
  'doc-date': { type: 'string' },
  'number-at': { type: 'string' },
  'date-at': { type: 'string' },
  'stamp-at': { type: 'string' },
  basis: { type: 'string' },
  'reserve-seal-mm': { type: 'string' },
  'reserve-number': { type: 'string' },
  'reserve-date': { type: 'string' },
  lock: { type: 'boolean' },
  'pdf-a1': { type: 'string' },
} as const;

/** The values of {@link OFFICIAL_OPTIONS} (and the field options it reads). */
export interface OfficialValues {
  kind?: string | undefined;
  image?: string | undefined;
  seal?: string | undefined;
  'seal-mm'?: string | undefined;
  'anchor-title'?: string | undefined;
  'anchor-name'?: string | undefined;
  'copy-form'?: string | undefined;
  agency?: string | undefined;
  'doc-number'?: string | undefined;
  'doc-date'?: string | undefined;
  'number-at'?: string | undefined;
  'date-at'?: string | undefined;
  'stamp-at'?: string | undefined;
  basis?: string | undefined;
  'reserve-seal-mm'?: string | undefined;
  'reserve-number'?: string | undefined;
  'reserve-date'?: string | undefined;
  lock?: boolean | undefined;
  'pdf-a1'?: string | undefined;
  page?: string | undefined;
  rect?: string | undefined;
}

const KINDS = ['personal', 'organisation', 'number', 'date', 'copy', 'attachment', 'urgent'] as const;
const BASES = ['personal-signature', 'agency-copy', 'digitised-incoming'] as const;

function usage(en: string, vi: string): UsageError {
  return new UsageError(`${en} / ${vi}`);
}

function numbers(text: string, count: number, flag: string, shape: string): number[] {
  const parts = text.split(',').map((n) => Number(n.trim()));
  if (parts.length !== count || parts.some((n) => !Number.isFinite(n)))
    throw usage(
      `${flag} must be ${shape}, not "${text}"`,
      `${flag} phải có dạng ${shape}, không phải "${text}"`,
    );
  return parts;
}

/** `page,x,y`, or nothing when the flag is absent (a field the personal signature reserved has its place). */
function placeOf(text: string | undefined, flag: string): { page?: number; at?: { x: number; y: number } } {
  if (text === undefined) return {};
  const [page, x, y] = numbers(text, 3, flag, 'page,x,y') as [number, number, number];
  return { page: pageNumber(page, flag), at: { x, y } };
}

/** `page,x,y,width,height`: a box reserved for one of the agency's fields. */
function boxOf(
  text: string,
  flag: string,
): { page: number; rect: { x: number; y: number; width: number; height: number } } {
  const [page, x, y, width, height] = numbers(text, 5, flag, 'page,x,y,width,height') as [
    number,
    number,
    number,
    number,
    number,
  ];
  return { page: pageNumber(page, flag), rect: { x, y, width, height } };
}

function pageNumber(page: number, flag: string): number {
  if (!Number.isInteger(page) || page < 1)
    throw usage(`${flag}: the page counts from 1`, `${flag}: số trang tính từ 1`);
  return page;
}

/** The FieldMDP lock `--lock` asks for: every field (Action All). */
const LOCK_ALL = { action: 'All' } as const;

/**
 * The agency fields `--reserve-*` ask the personal signature to create; `--lock` goes on the last
 * of them, for the agency's last signature to apply.
 */
function agencyFieldsOf(values: OfficialValues): AgencyFieldsPlan | undefined {
  const { 'reserve-seal-mm': sealMm, 'reserve-number': number, 'reserve-date': date } = values;
  if (sealMm === undefined) {
    if (number !== undefined || date !== undefined)
      throw usage(
        '--reserve-number and --reserve-date need --reserve-seal-mm (the seal field is reserved first)',
        '--reserve-number và --reserve-date cần --reserve-seal-mm (trường con dấu được dành sẵn trước)',
      );
    // On the personal signature itself, a lock would shut out the agency's signature that follows.
    if (values.lock)
      throw usage(
        "--lock with --kind personal needs --reserve-seal-mm: the lock goes on the agency's last reserved field",
        '--lock với --kind personal cần --reserve-seal-mm: khóa được đặt trên trường cuối cùng dành sẵn cho cơ quan',
      );
    return undefined;
  }
  return {
    sealMm: numbers(sealMm, 1, '--reserve-seal-mm', 'mm')[0]!,
    ...(number !== undefined ? { number: boxOf(number, '--reserve-number') } : {}),
    ...(date !== undefined ? { date: boxOf(date, '--reserve-date') } : {}),
    ...(values.lock ? { lock: LOCK_ALL } : {}),
  };
}

/** `--pdf-a1 yes|no`, or undefined: the document's own XMP claim decides. */
function pdfA1Of(values: OfficialValues): { pdfA1?: boolean } {
  const v = values['pdf-a1'];
  if (v === undefined) return {};
  if (v !== 'yes' && v !== 'no')
    throw usage(`--pdf-a1 takes yes or no, not "${v}"`, `--pdf-a1 nhận yes hoặc no, không phải "${v}"`);
  return { pdfA1: v === 'yes' };
}

function file(path: string | undefined, flag: string): Uint8Array {
  if (path === undefined) throw usage(`${flag} <file.png> is needed`, `cần ${flag} <tệp.png>`);
  requireFile(path);
  return new Uint8Array(readFileSync(path));
}

/** Whether `--kind` was given (the official flow), checked. */
export function officialKindOf(values: OfficialValues): (typeof KINDS)[number] | undefined {
  if (values.kind === undefined) return undefined;
  if (!(KINDS as readonly string[]).includes(values.kind))
    throw usage(
      `--kind must be one of ${KINDS.join(', ')}, not "${values.kind}"`,
      `--kind phải là một trong ${KINDS.join(', ')}, không phải "${values.kind}"`,
    );
  return values.kind as (typeof KINDS)[number];
}

/**
 * The combinations of `--kind` options that are usage errors, checked before any file is read:
 * `--reserve-*` with another kind than personal, `--lock` on a personal signature that reserves
 * nothing, a `--pdf-a1` other than yes or no.
 */
export function checkOfficialUsage(values: OfficialValues): void {
  const kind = officialKindOf(values);
  if (kind === undefined) {
    if (values.lock || values['pdf-a1'] !== undefined)
      throw usage(
        `--${values.lock ? 'lock' : 'pdf-a1'} goes with --kind`,
        `--${values.lock ? 'lock' : 'pdf-a1'} chỉ dùng với --kind`,
      );
    return;
  }
  const reserving = (['reserve-seal-mm', 'reserve-number', 'reserve-date'] as const).filter(
    (flag) => values[flag] !== undefined,
  );
  if (kind !== 'personal' && reserving.length > 0)
    throw usage(
      `--${reserving[0]} goes with --kind personal: the personal signature reserves the agency's fields`,
      `--${reserving[0]} chỉ dùng với --kind personal: chữ ký cá nhân dành sẵn các trường của cơ quan`,
    );
  if (kind === 'personal') agencyFieldsOf(values);
  pdfA1Of(values);
}

/** What `--kind` asks for: the competent person's signature, or one of the agency's. */
export type OfficialPlan =
  | { personal: PersonalAppearanceOptions }
  | { agency: AgencyOptions & { lock?: FieldLockSpec; pdfA1?: boolean } };

/**
 * Reads the `--kind` options into the flow's options (files read, anchors found), checking every
 * combination first. `validation` becomes the agency's check of the personal signature, now.
 */
export async function officialPlan(
  pdf: Uint8Array,
  values: OfficialValues,
  validation: SignerValidationOptions | undefined,
): Promise<OfficialPlan> {
  const kind = officialKindOf(values)!;
  checkOfficialUsage(values);
  const pdfA1 = pdfA1Of(values);
  if (kind === 'personal') {
    const image = file(values.image, '--image');
    let placement: PersonalPlacement;
    if (values['anchor-title'] !== undefined || values['anchor-name'] !== undefined) {
      if (values['anchor-title'] === undefined || values['anchor-name'] === undefined)
        throw usage(
          '--anchor-title and --anchor-name go together',
          '--anchor-title và --anchor-name phải đi cùng nhau',
        );
      const anchors = await findSignatureAnchors(pdf, {
        title: values['anchor-title'],
        name: values['anchor-name'],
        ...(values.page !== undefined ? { page: Number(values.page) } : {}),
      });
      placement = { anchors };
    } else {
      if (values.page === undefined || values.rect === undefined)
        throw usage(
          'a personal signature needs --anchor-title and --anchor-name, or --page and --rect',
          'chữ ký cá nhân cần --anchor-title và --anchor-name, hoặc --page và --rect',
        );
      const [x, y, width, height] = numbers(values.rect, 4, '--rect', 'x,y,width,height') as [
        number,
        number,
        number,
        number,
      ];
      placement = { page: Number(values.page), rect: { x, y, width, height } };
    }
    const agencyFields = agencyFieldsOf(values);
    return { personal: { ...pdfA1, image, placement, ...(agencyFields ? { agencyFields } : {}) } };
  }
  const basis = values.basis ?? (kind === 'copy' ? 'agency-copy' : 'personal-signature');
  if (!(BASES as readonly string[]).includes(basis))
    throw usage(
      `--basis must be one of ${BASES.join(', ')}, not "${basis}"`,
      `--basis phải là một trong ${BASES.join(', ')}, không phải "${basis}"`,
    );
  const mm =
    values['seal-mm'] === undefined ? undefined : numbers(values['seal-mm'], 1, '--seal-mm', 'mm')[0];
  let appearance: AgencyAppearanceOptions;
  if (kind === 'organisation') {
    appearance = {
      kind: 'seal',
      seal: file(values.seal, '--seal'),
      ...(mm !== undefined ? { sealMm: mm } : {}),
      ...(values['doc-number'] !== undefined || values['doc-date'] !== undefined
        ? { font: loadDefaultFont() }
        : {}),
      ...(values['doc-number'] !== undefined
        ? { documentNumber: { text: values['doc-number'], ...placeOf(values['number-at'], '--number-at') } }
        : {}),
      ...(values['doc-date'] !== undefined
        ? { documentDate: { date: values['doc-date'], ...placeOf(values['date-at'], '--date-at') } }
        : {}),
    };
  } else if (kind === 'number') {
    if (values['doc-number'] === undefined)
      throw usage('--kind number needs --doc-number', '--kind number cần --doc-number');
    appearance = {
      kind: 'number',
      text: values['doc-number'],
      ...placeOf(values['number-at'], '--number-at'),
      font: loadDefaultFont(),
    };
  } else if (kind === 'date') {
    if (values['doc-date'] === undefined)
      throw usage('--kind date needs --doc-date', '--kind date cần --doc-date');
    appearance = {
      kind: 'date',
      date: values['doc-date'],
      ...placeOf(values['date-at'], '--date-at'),
      font: loadDefaultFont(),
    };
  } else if (kind === 'copy') {
    if (values['copy-form'] === undefined || values.agency === undefined)
      throw usage('a copy needs --copy-form and --agency', 'bản sao cần --copy-form và --agency');
    appearance = {
      kind: 'copy',
      copyForm: values['copy-form'],
      agency: values.agency,
      font: loadDefaultFont(),
    };
  } else if (kind === 'attachment') {
    if (values['doc-number'] === undefined)
      throw usage('an attachment needs --doc-number', 'văn bản kèm theo cần --doc-number');
    appearance = { kind: 'attachment', documentNumber: values['doc-number'], font: loadDefaultFont() };
  } else {
    const page = values.page === undefined ? 1 : Number(values.page);
    const [x, y] = numbers(values['stamp-at'] ?? '', 2, '--stamp-at', 'x,y') as [number, number];
    appearance = {
      kind: 'urgent',
      stamp: file(values.seal, '--seal'),
      ...(mm !== undefined ? { stampMm: mm } : {}),
      page,
      at: { x, y },
      provincialRule: 'lao-cai',
    };
  }
  const v = validation;
  return {
    agency: {
      ...pdfA1,
      // On the agency's last signature; on a field the personal signature reserved, it must be the
      // lock the field was reserved with.
      ...(values.lock ? { lock: LOCK_ALL } : {}),
      appearance,
      basis: basis as AgencyBasis,
      ...(v
        ? {
            personalCheck: {
              trustAnchors: v.trustAnchors,
              ...(v.crls ? { crls: v.crls } : {}),
              ...(v.revocation ? { revocation: v.revocation } : {}),
              ...(v.transport ? { transport: v.transport } : {}),
            },
          }
        : {}),
    },
  };
}

/** Signs `pdf` with `signer` as `--kind` says. `common` carries the signing options of `kyso sign`. */
export async function signOfficial(
  pdf: Uint8Array,
  values: OfficialValues,
  signer: Signer,
  common: Record<string, unknown> & { validation?: SignerValidationOptions },
): Promise<SignPdfResult> {
  const { visible: _plainBox, ...options } = common;
  const plan = await officialPlan(pdf, values, options.validation);
  return 'personal' in plan
    ? signPersonal(pdf, { ...options, ...plan.personal, signer })
    : signAgency(pdf, { ...options, ...plan.agency, signer });
}

/**
 * Prepares (first of two steps) the signature `--kind` asks for. `common` carries the options of
 * `kyso prepare`, the signer's certificate, chain and state key among them. One signature per
 * step: the agency's number and date are `--kind number` and `--kind date` after the seal.
 */
export async function prepareOfficial(
  pdf: Uint8Array,
  values: OfficialValues,
  common: Record<string, unknown> & {
    certificate: Uint8Array;
    stateKey: Uint8Array;
    validation?: SignerValidationOptions;
  },
): Promise<PreparedPdfSignature> {
  const { visible: _plainBox, ...options } = common;
  if (officialKindOf(values) === 'organisation' && (values['doc-number'] ?? values['doc-date']) !== undefined)
    throw usage(
      'in two steps the number and the date are signatures of their own: prepare --kind number and --kind date after the seal',
      'khi ký hai bước, số và ngày là các chữ ký riêng: hãy chuẩn bị --kind number và --kind date sau con dấu',
    );
  const plan = await officialPlan(pdf, values, options.validation);
  return 'personal' in plan
    ? preparePersonalSignature(pdf, { ...options, ...plan.personal })
    : prepareAgencySignature(pdf, { ...options, ...plan.agency });
}
