// The browser side of the verification page: a PDF dropped (or chosen) is verified with kyso's
// browser-safe root entries, and every signature is shown with its checks and what changed after
// it. Nothing is sent anywhere: verification is offline, against the roots and CRLs given here.
// Everything is written with textContent, so a signer's name cannot inject markup.
import { isKysoError, parseCertificates, parseCrls, TrustStore, trustProfile } from '@kyso/core';
import { verifyPdf } from '@kyso/pdf-signature';

const TEXT = {
  TOTAL_PASSED: { vi: 'HỢP LỆ', en: 'VALID' },
  TOTAL_FAILED: { vi: 'KHÔNG HỢP LỆ', en: 'INVALID' },
  INDETERMINATE: { vi: 'CHƯA XÁC ĐỊNH ĐƯỢC', en: 'INDETERMINATE' },
  none: { vi: 'không có thay đổi nào sau khi ký', en: 'nothing changed after signing' },
  allowed: { vi: 'chỉ có những thay đổi được phép', en: 'only permitted changes after signing' },
  disallowed: { vi: 'có thay đổi không được phép sau khi ký', en: 'disallowed changes after signing' },
  indeterminate: {
    vi: 'không phân tích được những thay đổi sau khi ký',
    en: 'what changed after signing could not be analysed',
  },
};

/**
 * @param {string} id
 * @returns {HTMLElement}
 */
function byId(id) {
  const el = document.getElementById(id);
  if (!el) throw new Error(`#${id} is missing from the page`);
  return el;
}

/**
 * @param {keyof HTMLElementTagNameMap} tag
 * @param {string} text
 * @param {string} [className]
 */
function el(tag, text, className) {
  const e = document.createElement(tag);
  e.textContent = text;
  if (className) e.className = className;
  return e;
}

/** @param {{ vi: string, en: string }} t */
const both = (t) => `${t.vi} / ${t.en}`;

/**
 * The certificates (or CRLs) of every file chosen in an input.
 * @template T
 * @param {HTMLInputElement} input
 * @param {(bytes: Uint8Array) => T[]} parse
 * @returns {Promise<T[]>}
 */
async function readAll(input, parse) {
  const out = [];
  for (const file of Array.from(input.files ?? []))
    out.push(...parse(new Uint8Array(await file.arrayBuffer())));
  return out;
}

/**
 * An ISO time as Vietnam shows it.
 * @param {string | null} iso
 */
function vietnamTime(iso) {
  if (!iso) return '—';
  const d = new Date(new Date(iso).getTime() + 7 * 3600_000);
  return `${d.toISOString().slice(0, 19).replace('T', ' ')} (+07:00)`;
}

/**
 * @param {string} name
 * @param {import('@kyso/pdf-signature').PdfVerificationReport} report
 */
function render(name, report) {
  const result = byId('result');
  result.replaceChildren();
  const head = el('h2', `${name}: ${both(TEXT[report.indication])}`, report.indication);
  head.dataset.indication = report.indication;
  result.append(head);
  result.append(
    el(
      'p',
      `${report.signatures.length} chữ ký / signature(s); thời điểm kiểm tra / validated at ${vietnamTime(report.validationTime)}`,
    ),
  );
  for (const s of report.signatures) {
    const box = el('section', '', `sig ${s.indication}`);
    box.dataset.index = String(s.index);
    box.dataset.indication = s.indication;
    box.dataset.modifiedAfter = s.modifiedAfter;
    const title = `${s.kind === 'timestamp' ? 'Dấu thời gian / Timestamp' : 'Chữ ký / Signature'} ${s.index} (${s.fieldName})`;
    box.append(el('h3', title));
    box.append(
      el('p', `${both(TEXT[s.indication])}${s.subIndication ? ` (${s.subIndication})` : ''}`, 'verdict'),
    );
    box.append(
      el(
        'p',
        `Người ký / Signer: ${s.signer.commonName ?? '?'}${s.signer.organization ? ` — ${s.signer.organization}` : ''}${s.signer.kind ? ` [${s.signer.kind}]` : ''}`,
      ),
    );
    box.append(
      el(
        'p',
        `Thời điểm ký / Signing time: ${vietnamTime(s.signingTime)}${s.signingTimeProven ? ' — có dấu thời gian / timestamped' : ' — do người ký khai / as claimed'}`,
      ),
    );
    const changed = el('p', `Sau khi ký / After signing: ${both(TEXT[s.modifiedAfter])}`, 'changes');
    box.append(changed);
    const list = document.createElement('ul');
    for (const c of s.checks) {
      const item = el('li', `${c.id}: ${c.message.vi} / ${c.message.en}`, `check-${c.status}`);
      item.dataset.check = c.id;
      item.dataset.status = c.status;
      list.append(item);
    }
    box.append(list);
    result.append(box);
  }
}

/** @param {File} file */
async function verifyFile(file) {
  const status = byId('status');
  const error = byId('error');
  error.textContent = '';
  byId('result').replaceChildren();
  status.dataset.state = 'working';
  status.textContent = `Đang kiểm tra / Verifying ${file.name}…`;
  try {
    const store = new TrustStore();
    if (/** @type {HTMLInputElement} */ (byId('national')).checked) store.merge(trustProfile('vn-gov'));
    store.addAnchors(await readAll(/** @type {HTMLInputElement} */ (byId('anchors')), parseCertificates));
    const crls = await readAll(/** @type {HTMLInputElement} */ (byId('crls')), parseCrls);
    const mode = /** @type {HTMLSelectElement} */ (byId('revocation')).value;
    const report = await verifyPdf(new Uint8Array(await file.arrayBuffer()), {
      trustAnchors: store,
      crls,
      revocation: mode === 'soft-fail' ? 'soft-fail' : 'hard-fail',
    });
    render(file.name, report);
    status.textContent = '';
    status.dataset.state = 'done';
  } catch (e) {
    // An unreadable file is an error with a code (PDF_NOT_PDF, PDF_ENCRYPTED, …), not a report.
    error.dataset.code = isKysoError(e) ? e.code : 'UNEXPECTED';
    error.textContent = isKysoError(e)
      ? `${e.code}: ${e.messageVi} / ${e.message}`
      : `Lỗi / Error: ${e instanceof Error ? e.message : String(e)}`;
    status.textContent = '';
    status.dataset.state = 'error';
  }
}

const drop = byId('drop');
for (const type of ['dragenter', 'dragover']) {
  drop.addEventListener(type, (e) => {
    e.preventDefault();
    drop.classList.add('over');
  });
}
drop.addEventListener('dragleave', () => drop.classList.remove('over'));
drop.addEventListener('drop', (e) => {
  e.preventDefault();
  drop.classList.remove('over');
  const file = /** @type {DragEvent} */ (e).dataTransfer?.files[0];
  if (file) void verifyFile(file);
});
const picker = /** @type {HTMLInputElement} */ (byId('pdf'));
picker.addEventListener('change', () => {
  const file = picker.files?.[0];
  if (file) void verifyFile(file);
});
byId('status').dataset.state = 'ready';
