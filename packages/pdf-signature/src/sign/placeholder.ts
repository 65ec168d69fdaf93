import { AppearanceError } from '../appearance/errors.js';
import { placeInView, userRectToView, type ViewRect } from '../appearance/geometry.js';
import { AppearanceStream, type FormXObject, renumberAppearance } from '../appearance/xobject.js';
import { PdfError } from '../errors.js';
import { PdfDict, PdfName, PdfRef, type PdfValue } from '../reader/objects.js';
import type { ByteSource } from '../reader/source.js';
import { IncrementalUpdate } from '../writer/incremental.js';
import {
  latin1Bytes,
  PdfRawStream,
  pdfDict,
  pdfHexString,
  pdfTextString,
  withEntries,
} from '../writer/serialize.js';
import {
  addToAnnots,
  catalogRef,
  checkNewFieldName,
  dictAt,
  editCatalog,
  type FormField,
  formFields,
  isEmptySignatureField,
  normalisedRect,
  pageAt,
  pageGeometry,
  prepareAcroForm,
  widgetPage,
} from './form.js';
import {
  checkPermitted,
  docMdpReference,
  type FieldLockSpec,
  fieldLock,
  fieldMdpReference,
  lockEntries,
} from './mdp.js';
import { checkSeedValues } from './seed-values.js';

/**
 * The revision that holds a signature before it exists (ISO 32000-2 §12.8.1, PAdES EN 319 142-1
 * §6.3): the signature field and its widget (new, or an existing empty field), the signature
 * dictionary as a plain indirect object with only direct values, `/Contents` a zero-filled hex
 * string of the size asked for, and `/ByteRange` covering the whole file but that string, up to
 * this revision's `%%EOF` and its end-of-line — written fixed-width and patched in place, so no
 * byte moves. Everything earlier signatures forbid is refused before anything is written.
 */

/** A rectangle on a page, in default user space units (1/72 inch), from its lower-left corner. */
export interface PageRect {
  x: number;
  y: number;
  width: number;
  height: number;
}

/** A visible signature drawn as a plain box in a user-space rectangle of a page. */
export interface VisibleBox {
  /** The page, from 1. */
  page: number;
  /** The widget's rectangle, in user space. */
  rect: PageRect;
  appearance?: undefined;
}

/**
 * A visible signature drawn with an appearance built by the appearance layer
 * (`personalSignatureAppearance`, `agencySealAppearance`, `copyTextAppearance`, …): its objects are
 * renumbered into the signature's revision, its streams written with their `/Length`, and the
 * widget's `/AP /N` is its form. The widget's `/Rect` and the form's `/Matrix` come from
 * `placeInView`, so the appearance shows upright at `at`, at its own size, whatever the page's
 * `/Rotate`, CropBox and `/UserUnit` (any `/Matrix` the form was built with is replaced).
 */
export interface VisibleAppearance {
  /** The page, from 1. */
  page: number;
  /** The form to show (its `width`×`height` points is the widget's size). */
  appearance: FormXObject;
  /**
   * Its lower-left corner on the page as displayed (points, origin at the bottom left of the
   * visible page, after `/Rotate`), as `placeInView`, `topRightBox` and `sealOverPersonal` give it.
   */
  at: { x: number; y: number };
}

/** Where a new field goes and what it locks. */
export interface SignatureFieldOptions {
  /**
   * The field's name. A new field needs a name no field has, without a period; naming an existing
   * empty signature field fills that field instead (its /Lock and /SV honoured).
   */
  fieldName: string;
  /**
   * Show the signature on this page (from 1): as a plain box in a user-space rectangle
   * ({@link VisibleBox}), or with an appearance at a place of the displayed page
   * ({@link VisibleAppearance}). Default: an invisible signature (`/Rect [0 0 0 0]`) on page 1.
   * Not allowed with an existing field, which keeps its own place.
   */
  visible?: VisibleBox | VisibleAppearance;
  /**
   * A FieldMDP lock this signature sets on a new field: once signed, the fields it names may not
   * change (§12.8.2.4). Default: none.
   */
  lock?: FieldLockSpec;
  /**
   * For an existing empty field: what its widget shows once signed. The widget keeps its place;
   * the appearance goes inside its rectangle at its own size (centred, or for `align: 'start'` at
   * the rectangle's left, centred vertically), upright whatever the page's `/Rotate`. One larger
   * than the widget is refused (`APPEARANCE_DOES_NOT_FIT`). Default: the widget's own appearance,
   * or a plain box when it has none.
   */
  fieldAppearance?: FieldAppearance;
  /** The new second /ID element (default: random). */
  documentId?: Uint8Array;
}

/** An appearance shown inside an existing field's widget (see {@link SignatureFieldOptions.fieldAppearance}). */
export interface FieldAppearance {
  appearance: FormXObject;
  /** `centre` (default) or `start`: at the left of the widget, centred vertically, for a line of text. */
  align?: 'centre' | 'start';
}

/**
 * An empty signature field to create beside the signature, for a later signer (the agency's
 * seal, number and date before the competent person certifies: fields created after a
 * certification are flagged, H10). Its widget shows nothing until it is signed.
 */
export interface ReservedField {
  /** The new field's name (no field may have it, no period). */
  fieldName: string;
  /** The page, from 1. */
  page: number;
  /** The widget's rectangle on the page as displayed (after `/Rotate`), in points. */
  rect: ViewRect;
  /** A FieldMDP lock the signature filling this field will apply (§12.8.2.4). Default none. */
  lock?: FieldLockSpec;
}

/** Options of {@link addSignaturePlaceholder}. */
export interface SignaturePlaceholderOptions extends SignatureFieldOptions {
  /** Empty signature fields created in the same revision, covered by this signature. Default none. */
  reserveFields?: readonly ReservedField[];
  /**
   * Bytes reserved for the DER CMS (the hex string is twice as long): the CMS with the signer's
   * chain and a signature timestamp with the TSA's chain, plus a margin. 1 to 1 048 576.
   */
  contentsSize: number;
  /** The signing time written as `/M` (the CMS carries no signing-time, H6). */
  signingTime: Date;
  /** The offset from UTC `/M` is written in, in minutes (default 420, Vietnam, +07'00'). */
  utcOffsetMinutes?: number;
  /** `/Reason`. */
  reason?: string;
  /** `/Location`. */
  location?: string;
  /** `/ContactInfo`. */
  contactInfo?: string;
  /** `/Name`, the signer's name as the signer gives it. */
  name?: string;
  /**
   * Make this a certification signature with this DocMDP level (1 no changes, 2 form filling and
   * signing, 3 also annotations); only allowed as the document's first signature. Default: an
   * approval signature.
   */
  certify?: 1 | 2 | 3;
  /** The digest algorithm the CMS will use ('SHA-256'…), checked against the field's /SV when given. */
  digestAlgorithm?: string;
}

/** Options of {@link addDocumentTimestampPlaceholder}. */
export interface DocumentTimestampPlaceholderOptions {
  /** The new field's name (default `DocTimeStamp` followed by the first free number). */
  fieldName?: string;
  /** Bytes reserved for the DER timestamp token (with the TSA's chain), 1 to 1 048 576. */
  contentsSize: number;
  /** The new second /ID element (default: random). */
  documentId?: Uint8Array;
}

/** A prepared document: the placeholder's place in it. */
export interface SignaturePlaceholder {
  /** The original bytes followed by the new revision, /Contents still zeros. */
  bytes: Uint8Array;
  /** `[0, a, b, c]`: everything but the /Contents string, to the end of the file. */
  byteRange: [number, number, number, number];
  /** The field's fully qualified name. */
  fieldName: string;
  /** The object number of the signature dictionary. */
  signatureObject: number;
}

const MAX_CONTENTS = 1024 * 1024;
/** Written first, then patched with the real ranges padded with spaces to the same width. */
const BYTE_RANGE_SENTINEL = [0, 1_111_111_111, 2_222_222_222, 3_333_333_333];
const SENTINEL_TEXT = `/ByteRange [${BYTE_RANGE_SENTINEL.join(' ')}]`;

/**
 * Adds a signature placeholder in a new revision: field, widget, signature dictionary
 * (`/Filter /Adobe.PPKLite /SubFilter /ETSI.CAdES.detached`), `/M`, the optional text entries, a
 * DocMDP reference and `/Perms` for a certification, a FieldMDP reference for a lock.
 *
 * @throws PdfError `PDF_SIGN_DOCMDP_FORBIDS`, `PDF_SIGN_CERTIFICATION_NOT_FIRST`,
 * `PDF_SIGN_FIELD_LOCKED`, `PDF_SIGN_FIELD_EXISTS`, `PDF_SIGN_FIELD_NAME_INVALID`,
 * `PDF_SIGN_PAGE_OUT_OF_RANGE`, `PDF_SIGN_SEED_VALUE_VIOLATED`, `PDF_SIGN_INVALID_OPTION`,
 * `PDF_ENCRYPTED`, or the reader's codes for a file it cannot read.
 */
export function addSignaturePlaceholder(
  pdf: Uint8Array,
  options: SignaturePlaceholderOptions,
): SignaturePlaceholder {
  return joined(pdf, placeSignature(pdf, options));
}

/** A placeholder revision alone, with its positions in the whole file (for writing files by streams). */
export interface PlaceholderIncrement {
  /** The revision's bytes, /ByteRange patched, /Contents zeros; appended at `base`. */
  increment: Uint8Array;
  /** The original's length. */
  base: number;
  byteRange: [number, number, number, number];
  fieldName: string;
  signatureObject: number;
}

/**
 * {@link addSignaturePlaceholder} over any byte source (a file read on demand): returns the new
 * revision alone. @internal
 */
export function placeSignature(
  pdf: Uint8Array | ByteSource,
  options: SignaturePlaceholderOptions,
): PlaceholderIncrement {
  checkContentsSize(options.contentsSize);
  if (options.certify !== undefined && ![1, 2, 3].includes(options.certify))
    throw invalid(`DocMDP level ${options.certify}`, `mức DocMDP ${options.certify}`);
  const update = new IncrementalUpdate(pdf);
  const doc = update.document;
  checkPermitted(doc, {
    kind: options.certify ? 'certification' : 'approval',
    fieldName: options.fieldName,
  });
  const target = existingEmptyField(update, options);
  const own = target ? fieldLock(doc, target.dict) : null;
  if (target)
    checkSeedValues(doc, target.dict, {
      filter: 'Adobe.PPKLite',
      subFilter: 'ETSI.CAdES.detached',
      ...(options.reason !== undefined ? { reason: options.reason } : {}),
      ...(options.certify !== undefined ? { certify: options.certify } : {}),
      ...(options.digestAlgorithm !== undefined ? { digestAlgorithm: options.digestAlgorithm } : {}),
    });
  const lock = own ?? (options.lock ? { lock: options.lock } : null);
  const references = [
    ...(options.certify ? [docMdpReference(options.certify)] : []),
    ...(lock ? [fieldMdpReference(lock.lock, lock.p)] : []),
  ];
  const text = (v: string | undefined) => (v === undefined ? undefined : pdfTextString(v));
  const signature = signatureDictionary(
    options.contentsSize,
    {
      Type: new PdfName('Sig'),
      Filter: new PdfName('Adobe.PPKLite'),
      SubFilter: new PdfName('ETSI.CAdES.detached'),
    },
    {
      Reference: references.length > 0 ? references : undefined,
      M: pdfTextString(pdfDate(options.signingTime, options.utcOffsetMinutes ?? 420)),
      Name: text(options.name),
      Reason: text(options.reason),
      Location: text(options.location),
      ContactInfo: text(options.contactInfo),
    },
  );
  const sigRef = update.allocate();
  update.set(sigRef, signature);
  if (target) fillField(update, target, sigRef, options.fieldAppearance);
  else addField(update, options, sigRef);
  const names = new Set([options.fieldName]);
  for (const reserved of options.reserveFields ?? []) {
    if (names.has(reserved.fieldName))
      throw new PdfError('PDF_SIGN_FIELD_EXISTS', `two new fields are named "${reserved.fieldName}"`, {
        messageVi: `hai trường mới cùng tên "${reserved.fieldName}"`,
      });
    names.add(reserved.fieldName);
    reserveField(update, reserved);
  }
  if (options.certify) {
    const root = catalogRef(update);
    const perms = update.deref(dictAt(update, root).get('Perms'));
    editCatalog(update, {
      Perms: perms instanceof PdfDict ? withEntries(perms, { DocMDP: sigRef }) : pdfDict({ DocMDP: sigRef }),
    });
  }
  return patchIncrement(update, sigRef, options.fieldName, options.documentId);
}

function joined(pdf: Uint8Array, inc: PlaceholderIncrement): SignaturePlaceholder {
  const bytes = new Uint8Array(inc.base + inc.increment.length);
  bytes.set(pdf, 0);
  bytes.set(inc.increment, inc.base);
  return { bytes, byteRange: inc.byteRange, fieldName: inc.fieldName, signatureObject: inc.signatureObject };
}

/**
 * Adds a document timestamp placeholder (ISO 32000-2 §12.8.5): `/Type /DocTimeStamp /Filter
 * /Adobe.PPKLite /SubFilter /ETSI.RFC3161 /V 0`, in a new invisible field. Allowed under DocMDP
 * /P 1: a document timestamp is not a change (§12.8.2.2.1).
 */
export function addDocumentTimestampPlaceholder(
  pdf: Uint8Array,
  options: DocumentTimestampPlaceholderOptions,
): SignaturePlaceholder {
  checkContentsSize(options.contentsSize);
  const update = new IncrementalUpdate(pdf);
  const names = new Set(formFields(update.document).map((f) => f.name));
  let fieldName = options.fieldName;
  for (let i = 1; fieldName === undefined; i += 1)
    if (!names.has(`DocTimeStamp${i}`)) fieldName = `DocTimeStamp${i}`;
  checkPermitted(update.document, { kind: 'timestamp', fieldName });
  checkNewFieldName(update.document, fieldName);
  const signature = signatureDictionary(
    options.contentsSize,
    {
      Type: new PdfName('DocTimeStamp'),
      Filter: new PdfName('Adobe.PPKLite'),
      SubFilter: new PdfName('ETSI.RFC3161'),
    },
    { V: 0 },
  );
  const sigRef = update.allocate();
  update.set(sigRef, signature);
  addField(update, { fieldName }, sigRef);
  return joined(pdf, patchIncrement(update, sigRef, fieldName, options.documentId));
}

/** Options of {@link addEmptySignatureField}. */
export interface EmptySignatureFieldOptions extends SignatureFieldOptions {}

/**
 * Adds an empty signature field for a later signer (for instance the agency's, before the official
 * certifies: viewers may flag fields created after a certification, H10). With `lock`, the field
 * carries a `/Lock` that the signature filling it will apply.
 */
export function addEmptySignatureField(pdf: Uint8Array, options: EmptySignatureFieldOptions): Uint8Array {
  const update = new IncrementalUpdate(pdf);
  checkNewFieldName(update.document, options.fieldName);
  addField(update, options, undefined);
  return update.finish(options.documentId ? { documentId: options.documentId } : {}).bytes;
}

function checkContentsSize(size: number): void {
  if (!Number.isInteger(size) || size < 1 || size > MAX_CONTENTS)
    throw invalid(`a /Contents size of ${size} bytes`, `kích thước /Contents ${size} byte`);
}

function invalid(en: string, vi: string): PdfError {
  return new PdfError('PDF_SIGN_INVALID_OPTION', `invalid signing option: ${en}`, {
    messageVi: `tùy chọn ký không hợp lệ: ${vi}`,
  });
}

/** The dictionary: its fixed head, then the ByteRange sentinel and zeroed /Contents, then the rest. */
function signatureDictionary(
  contentsSize: number,
  head: Record<string, PdfValue>,
  rest: Record<string, PdfValue | undefined>,
): PdfDict {
  return pdfDict({
    ...head,
    ByteRange: BYTE_RANGE_SENTINEL,
    Contents: pdfHexString(new Uint8Array(contentsSize)),
    ...rest,
  });
}

/** The existing field `fieldName` names, when it is an empty signature field; refusals otherwise. */
function existingEmptyField(
  update: IncrementalUpdate,
  options: SignatureFieldOptions,
): FormField | undefined {
  const field = formFields(update.document).find((f) => f.name === options.fieldName);
  if (!field) {
    checkNewFieldName(update.document, options.fieldName);
    if (options.fieldAppearance)
      throw invalid(
        `fieldAppearance for "${options.fieldName}", which is not an existing field (use visible)`,
        `fieldAppearance cho "${options.fieldName}", vốn không phải trường có sẵn (hãy dùng visible)`,
      );
    return undefined;
  }
  if (!isEmptySignatureField(field))
    throw new PdfError(
      'PDF_SIGN_FIELD_EXISTS',
      `a form field named "${options.fieldName}" already exists${field.type === 'Sig' ? ' and is signed' : ''}`,
      {
        messageVi: `đã có một trường biểu mẫu tên "${options.fieldName}"${field.type === 'Sig' ? ' và đã được ký' : ''}`,
      },
    );
  if (options.visible || options.lock)
    throw invalid(
      `"${options.fieldName}" is an existing field: it keeps its own place and lock`,
      `"${options.fieldName}" là trường có sẵn: giữ nguyên vị trí và khóa của nó`,
    );
  return field;
}

/** A new field, empty, whose widget shows nothing until it is signed. */
function reserveField(update: IncrementalUpdate, reserved: ReservedField): void {
  const doc = update.document;
  checkNewFieldName(doc, reserved.fieldName);
  const page = pageAt(doc, reserved.page);
  const r = reserved.rect;
  if (![r?.x, r?.y, r?.width, r?.height].every((n) => typeof n === 'number' && Number.isFinite(n)))
    throw invalid(
      `the reserved field "${reserved.fieldName}" without a finite rectangle`,
      `trường dành sẵn "${reserved.fieldName}" không có hình chữ nhật hữu hạn`,
    );
  const placement = placeInView(pageGeometry(update, page), r);
  const [x1, y1, x2, y2] = placement.rect;
  const apRef = update.allocate();
  update.set(
    apRef,
    new PdfRawStream(
      pdfDict({
        Type: new PdfName('XObject'),
        Subtype: new PdfName('Form'),
        BBox: [0, 0, round4(x2 - x1), round4(y2 - y1)],
        Resources: pdfDict({}),
      }),
      new Uint8Array(0),
    ),
  );
  addSignatureWidget(update, {
    fieldName: reserved.fieldName,
    page,
    rect: placement.rect.map(round4),
    apRef,
    ...(reserved.lock ? { lock: reserved.lock } : {}),
  });
}

const round4 = (v: number): number => Math.round(v * 10000) / 10000;

/** A form XObject: empty for an invisible widget, a plain box for a visible one. */
function appearance(width: number, height: number): PdfRawStream {
  const box =
    width > 2 && height > 2 ? `q 0 0 0 RG 1 w 0.5 0.5 ${fmt(width - 1)} ${fmt(height - 1)} re S Q` : '';
  return new PdfRawStream(
    pdfDict({
      Type: new PdfName('XObject'),
      Subtype: new PdfName('Form'),
      BBox: [0, 0, width, height],
      Resources: pdfDict({}),
    }),
    latin1Bytes(box),
  );
}

function fmt(n: number): string {
  return String(Math.round(n * 1000) / 1000);
}

/** A new field merged with its widget (`/F 4`, `/P`), on the page's /Annots and in /Fields. */
function addField(
  update: IncrementalUpdate,
  options: SignatureFieldOptions,
  sigRef: PdfRef | undefined,
): void {
  const visible = options.visible;
  const page = pageAt(update.document, visible?.page ?? 1);
  let rect: number[] = [0, 0, 0, 0];
  let apRef: PdfRef;
  if (visible?.appearance !== undefined) {
    const placed = placeAppearance(update, page, visible);
    rect = placed.rect;
    apRef = placed.root;
  } else {
    const r = visible?.rect;
    if (r && ![r.x, r.y, r.width, r.height].every(Number.isFinite))
      throw invalid(
        'a rectangle with a coordinate that is not a number',
        'hình chữ nhật có tọa độ không phải số',
      );
    if (r && (r.width <= 0 || r.height <= 0))
      throw invalid('a rectangle without area', 'hình chữ nhật không có diện tích');
    if (r) rect = [r.x, r.y, r.x + r.width, r.y + r.height];
    apRef = update.allocate();
    update.set(apRef, appearance(r?.width ?? 0, r?.height ?? 0));
  }
  addSignatureWidget(update, {
    fieldName: options.fieldName,
    page,
    rect,
    apRef,
    ...(sigRef ? { value: sigRef } : {}),
    ...(options.lock ? { lock: options.lock } : {}),
  });
}

/** A signature field merged with its widget (`/F 4`, `/P`), on the page's /Annots and in /Fields. */
function addSignatureWidget(
  update: IncrementalUpdate,
  field: {
    fieldName: string;
    page: PdfRef;
    rect: number[];
    apRef: PdfRef;
    value?: PdfRef;
    lock?: FieldLockSpec;
  },
): void {
  const widget = update.allocate();
  update.set(
    widget,
    pdfDict({
      Type: new PdfName('Annot'),
      Subtype: new PdfName('Widget'),
      FT: new PdfName('Sig'),
      T: pdfTextString(field.fieldName),
      F: 4,
      Rect: field.rect,
      P: field.page,
      AP: pdfDict({ N: field.apRef }),
      V: field.value,
      Lock: field.lock
        ? pdfDict({ Type: new PdfName('SigFieldLock'), ...lockEntries(field.lock) })
        : undefined,
    }),
  );
  addToAnnots(update, field.page, widget);
  prepareAcroForm(update, widget);
}

/**
 * Copies `visible.appearance` into the revision: placed with `placeInView` on the page's geometry,
 * its objects renumbered from the revision's next free number, its root given the placement's
 * `/Matrix`. Returns the widget's `/Rect` and the form's new reference.
 */
function placeAppearance(
  update: IncrementalUpdate,
  page: PdfRef,
  visible: VisibleAppearance,
): { rect: number[]; root: PdfRef } {
  const form = visible.appearance;
  const { x, y } = visible.at ?? {};
  if (
    typeof x !== 'number' ||
    typeof y !== 'number' ||
    ![x, y, form.width, form.height].every(Number.isFinite) ||
    form.objects.length === 0 ||
    !form.objects.some((o) => o.ref.num === form.root.num && o.value instanceof AppearanceStream)
  )
    throw invalid(
      'an appearance without a finite position and size, or without its form among its objects',
      'giao diện chữ ký không có vị trí và kích thước hữu hạn, hoặc thiếu biểu mẫu trong các đối tượng của nó',
    );
  const view: ViewRect = { x, y, width: form.width, height: form.height };
  const placement = placeInView(pageGeometry(update, page), view);
  return { rect: [...placement.rect], root: writeForm(update, form, placement.matrix) };
}

/**
 * Copies a form and its objects into the revision, renumbered from its next free number, the
 * form given `matrix` as its `/Matrix`. Returns the form's new reference.
 */
function writeForm(update: IncrementalUpdate, form: FormXObject, matrix: readonly number[]): PdfRef {
  if (
    form.objects.length === 0 ||
    !form.objects.some((o) => o.ref.num === form.root.num && o.value instanceof AppearanceStream)
  )
    throw invalid(
      'an appearance without its form among its objects',
      'giao diện chữ ký thiếu biểu mẫu trong các đối tượng của nó',
    );
  const refs = form.objects.map(() => update.allocate());
  const first = refs[0]!.num;
  if (refs.some((r, i) => r.num !== first + i))
    throw new PdfError('PDF_WRITE_INVALID_VALUE', 'object numbers for the appearance are not consecutive', {
      messageVi: 'số đối tượng cho giao diện chữ ký không liên tiếp',
    });
  const renumbered = renumberAppearance(form, first);
  const identity = matrix.every((v, i) => v === [1, 0, 0, 1, 0, 0][i]);
  for (const o of renumbered.objects) {
    const value = o.value;
    if (!(value instanceof AppearanceStream)) {
      update.set(o.ref, value);
      continue;
    }
    const dict =
      o.ref.num === renumbered.root.num
        ? withEntries(value.dict, { Matrix: identity ? undefined : matrix.map(round4) })
        : value.dict;
    update.set(o.ref, new PdfRawStream(dict, value.data));
  }
  return renumbered.root;
}

/**
 * An existing empty field receives its value. Its widget shows `shown` when given (inside its
 * rectangle); a widget without an appearance gets a plain box; otherwise it keeps its own.
 */
function fillField(
  update: IncrementalUpdate,
  field: FormField,
  sigRef: PdfRef,
  shown: FieldAppearance | undefined,
): void {
  update.set(field.ref, withEntries(dictAt(update, field.ref), { V: sigRef }));
  const kids = update.deref(field.dict.get('Kids'));
  const widgets = Array.isArray(kids)
    ? kids.filter((k): k is PdfRef => k instanceof PdfRef)
    : field.dict.name('Subtype') === 'Widget' || field.dict.get('Rect') !== undefined
      ? [field.ref]
      : [];
  if (shown) {
    if (widgets.length !== 1)
      throw invalid(
        `fieldAppearance for "${field.name}", which has ${widgets.length} widgets (one is needed)`,
        `fieldAppearance cho "${field.name}", trường có ${widgets.length} widget (cần đúng một)`,
      );
    const w = widgets[0]!;
    // The widget is the field itself when it has no kids: its /V was just set above.
    const dict = dictAt(update, w);
    update.set(w, withEntries(dict, { AP: pdfDict({ N: showInWidget(update, w, dict, shown) }) }));
  } else
    for (const w of widgets) {
      const dict = dictAt(update, w);
      if (dict.get('AP') !== undefined) continue;
      const rect = update.deref(dict.get('Rect'));
      const [x1, y1, x2, y2] =
        Array.isArray(rect) && rect.every((n) => typeof n === 'number') ? (rect as number[]) : [];
      const apRef = update.allocate();
      update.set(apRef, appearance(Math.abs((x2 ?? 0) - (x1 ?? 0)), Math.abs((y2 ?? 0) - (y1 ?? 0))));
      update.set(w, withEntries(dict, { AP: pdfDict({ N: apRef }) }));
    }
  prepareAcroForm(update);
}

/**
 * The appearance of an existing widget showing `shown` at its own size inside the widget's
 * `/Rect`: a form as large as the rectangle (so viewers, which stretch an appearance to fill the
 * rectangle, draw it 1:1) that paints `shown`, placed upright by `placeInView`, at its offset.
 */
function showInWidget(
  update: IncrementalUpdate,
  widget: PdfRef,
  dict: PdfDict,
  shown: FieldAppearance,
): PdfRef {
  const user = normalisedRect(update.deref(dict.get('Rect')));
  const pageRef = widgetPage(update, widget, dict);
  if (!user || !pageRef)
    throw invalid(
      'fieldAppearance for a widget without a rectangle or a page',
      'fieldAppearance cho widget không có hình chữ nhật hoặc trang',
    );
  // /MK /R turns the widget's content for the viewer that builds it (§12.5.6.19); the form below
  // is already made upright by its /Matrix, so a rotation there would be applied twice.
  const mk = update.deref(dict.get('MK'));
  const turn = mk instanceof PdfDict ? update.deref(mk.get('R')) : undefined;
  if (typeof turn === 'number' && turn % 360 !== 0)
    throw invalid(
      `fieldAppearance for a widget rotated by its /MK /R ${turn}: the appearance would be rotated twice`,
      `fieldAppearance cho widget được xoay bởi /MK /R ${turn}: giao diện sẽ bị xoay hai lần`,
    );
  const geometry = pageGeometry(update, pageRef);
  const box = userRectToView(geometry, user);
  const form = shown.appearance;
  const eps = 0.01;
  if (!(form.width > 0 && form.height > 0) || form.width > box.width + eps || form.height > box.height + eps)
    throw new AppearanceError(
      'APPEARANCE_DOES_NOT_FIT',
      `a ${fmt(form.width)}×${fmt(form.height)} pt appearance does not fit the ${fmt(box.width)}×${fmt(box.height)} pt widget of the existing field`,
      {
        messageVi: `giao diện ${fmt(form.width)}×${fmt(form.height)} pt không vừa widget ${fmt(box.width)}×${fmt(box.height)} pt của trường có sẵn`,
      },
    );
  const dx = shown.align === 'start' ? 0 : (box.width - form.width) / 2;
  const inner: ViewRect = {
    x: Math.max(box.x, box.x + dx),
    y: Math.max(box.y, box.y + (box.height - form.height) / 2),
    width: Math.min(form.width, box.width),
    height: Math.min(form.height, box.height),
  };
  const placement = placeInView(geometry, inner);
  const innerRef = writeForm(update, form, placement.matrix);
  const outer = update.allocate();
  const offset = `${fmt(placement.rect[0] - user[0])} ${fmt(placement.rect[1] - user[1])}`;
  update.set(
    outer,
    new PdfRawStream(
      pdfDict({
        Type: new PdfName('XObject'),
        Subtype: new PdfName('Form'),
        BBox: [0, 0, round4(user[2] - user[0]), round4(user[3] - user[1])],
        Resources: pdfDict({ XObject: pdfDict({ Fm0: innerRef }) }),
      }),
      latin1Bytes(`q 1 0 0 1 ${offset} cm /Fm0 Do Q`),
    ),
  );
  return outer;
}

/** Writes the revision and patches /ByteRange in place, same width. */
function patchIncrement(
  update: IncrementalUpdate,
  sigRef: PdfRef,
  fieldName: string,
  documentId: Uint8Array | undefined,
): PlaceholderIncrement {
  const { increment: bytes, base, offsets } = update.finishIncrement(documentId ? { documentId } : {});
  const objectStart = offsets.get(sigRef.num)! - base;
  const at = indexOf(bytes, SENTINEL_TEXT, objectStart);
  const contentsKey = indexOf(bytes, '/Contents <', at + SENTINEL_TEXT.length);
  if (at < 0 || contentsKey < 0)
    throw new PdfError('PDF_WRITE_INVALID_VALUE', 'the signature dictionary was not written as expected', {
      messageVi: 'từ điển chữ ký không được ghi như dự kiến',
    });
  const contentsStart = contentsKey + '/Contents '.length;
  let contentsEnd = contentsStart + 1;
  while (bytes[contentsEnd] !== 0x3e) contentsEnd += 1;
  contentsEnd += 1;
  const byteRange: [number, number, number, number] = [
    0,
    base + contentsStart,
    base + contentsEnd,
    bytes.length - contentsEnd,
  ];
  const head = `/ByteRange [${byteRange.join(' ')}`;
  const patched = `${head}${' '.repeat(SENTINEL_TEXT.length - head.length - 1)}]`;
  bytes.set(latin1Bytes(patched), at);
  return { increment: bytes, base, byteRange, fieldName, signatureObject: sigRef.num };
}

function indexOf(bytes: Uint8Array, needle: string, from: number): number {
  const first = needle.charCodeAt(0);
  for (
    let i = bytes.indexOf(first, from);
    i >= 0 && i + needle.length <= bytes.length;
    i = bytes.indexOf(first, i + 1)
  ) {
    let k = 1;
    while (k < needle.length && bytes[i + k] === needle.charCodeAt(k)) k += 1;
    if (k === needle.length) return i;
  }
  return -1;
}

/** A PDF date (§7.9.4) with its offset from UTC: `D:20260131143000+07'00'`. */
export function pdfDate(time: Date, utcOffsetMinutes = 420): string {
  if (Number.isNaN(time.getTime())) throw invalid('an invalid date', 'ngày không hợp lệ');
  if (!Number.isInteger(utcOffsetMinutes) || Math.abs(utcOffsetMinutes) > 14 * 60)
    throw invalid(`a UTC offset of ${utcOffsetMinutes} minutes`, `độ lệch UTC ${utcOffsetMinutes} phút`);
  const local = new Date(time.getTime() + utcOffsetMinutes * 60_000);
  const p = (n: number, w = 2) => String(n).padStart(w, '0');
  const stamp = `${p(local.getUTCFullYear(), 4)}${p(local.getUTCMonth() + 1)}${p(local.getUTCDate())}${p(local.getUTCHours())}${p(local.getUTCMinutes())}${p(local.getUTCSeconds())}`;
  const abs = Math.abs(utcOffsetMinutes);
  const zone =
    utcOffsetMinutes === 0
      ? 'Z'
      : `${utcOffsetMinutes < 0 ? '-' : '+'}${p(Math.floor(abs / 60))}'${p(abs % 60)}'`;
  return `D:${stamp}${zone}`;
}
