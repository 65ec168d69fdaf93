// Certificates due for renewal: read the certificates of a folder (DER or PEM) or of a PKCS#11 token
// and list, per province, the last day a renewal can be requested (Nghị định 68/2024/NĐ-CP Điều 12:
// at least 30 days of validity left) and who handles the request, with that office's deadline in
// working days where the province sets one (Phú Thọ: 3 working days), on the Vietnamese calendar.
//
//   node examples/renewals/renewals.mjs --certs <folder|file> [--at 2026-11-20] [--province phu-tho]…
//   node examples/renewals/renewals.mjs --module /usr/lib/softhsm/libsofthsm2.so [--token-label kyso-test]
//   … [--within 60] [--json] [--lang vi|en]
//
// Reading a token needs no PIN: certificates are public objects.
import { pathToFileURL } from 'node:url';
import { parseArgs } from 'node:util';
import { describeCertificate } from '@kyso/core';
import { readCertificates } from '@kyso/core/node';
import {
  daysBetween,
  evaluateCertificate,
  PROVINCES,
  parseProvince,
  vietnamDate,
} from '@kyso/lifecycle-rules';

/**
 * One certificate's renewal in one jurisdiction.
 * @typedef {object} RenewalLine
 * @property {string} source Where the certificate was read (file or token label).
 * @property {string} subject
 * @property {string | null} commonName
 * @property {'personal' | 'organisation' | 'device'} kind
 * @property {string} serialNumber
 * @property {string} fingerprint
 * @property {string} notAfter Last day of validity, Vietnam date.
 * @property {number} daysRemaining
 * @property {boolean | null} allowed Whether a renewal can be requested on `at`.
 * @property {string | null} latestRequestDate
 * @property {number | null} daysToLatestRequest Days from `at` to the last request day (negative: passed).
 * @property {string | null} handledBy
 * @property {string | null} form
 * @property {string | null} copyTo
 * @property {number | null} workingDays The office's deadline in working days, where a rule sets one.
 * @property {string | null} doneByIfRequestedToday
 * @property {string | null} doneByIfRequestedOnLastDay
 * @property {{ vi: string, en: string, citation: string }[]} reasons
 */

/**
 * @typedef {object} ProvincePlan
 * @property {string | null} province `null` for the national rules alone.
 * @property {RenewalLine[]} certificates Sorted by last request day.
 */

/**
 * The renewal plan of `certs` on `at`, for every jurisdiction in `provinces` (`null` = national).
 * CA certificates are left out: they are not subscribers'.
 * @param {{ source: string, certificate: import('@kyso/core').Certificate }[]} certs
 * @param {{ at: string, provinces: (string | null)[], within?: number }} options
 * @returns {ProvincePlan[]}
 */
export function renewalPlan(certs, options) {
  const described = certs
    .map((c) => ({ source: c.source, d: describeCertificate(c.certificate) }))
    .filter((c) => c.d.kind !== 'ca');
  return options.provinces.map((province) => {
    /** @type {RenewalLine[]} */
    const lines = [];
    for (const { source, d } of described) {
      const kind = /** @type {'personal' | 'organisation' | 'device'} */ (d.kind);
      const facts = {
        kind,
        notBefore: vietnamDate(new Date(d.notBefore)),
        notAfter: vietnamDate(new Date(d.notAfter)),
      };
      const e = evaluateCertificate(facts, { at: options.at, ...(province ? { province } : {}) });
      const r = e.renewal;
      const last = r.latestRequestDate;
      const toLast = last ? daysBetween(options.at, last) : null;
      if (options.within !== undefined && (toLast === null || toLast > options.within)) continue;
      // The office's deadline for a request made on the last day, under the rules in force then.
      const onLast =
        last && last >= options.at
          ? evaluateCertificate(facts, { at: last, ...(province ? { province } : {}) }).renewal.deadline
          : null;
      const workingDays = r.deadline?.workingDays ?? onLast?.workingDays ?? null;
      lines.push({
        source,
        subject: d.subject.text,
        commonName: d.subject.commonName,
        kind,
        serialNumber: d.serialNumber,
        fingerprint: d.fingerprint,
        notAfter: facts.notAfter,
        daysRemaining: e.daysRemaining,
        allowed: r.allowed,
        latestRequestDate: last,
        daysToLatestRequest: toLast,
        handledBy: r.handledBy,
        form: r.form,
        copyTo: e.copyRequestsTo,
        workingDays,
        doneByIfRequestedToday: r.deadline?.date ?? null,
        doneByIfRequestedOnLastDay: onLast?.date ?? null,
        reasons: r.reasons.map((x) => ({ vi: x.vi, en: x.en, citation: x.citation.text })),
      });
    }
    lines.sort((a, b) => (a.latestRequestDate ?? '').localeCompare(b.latestRequestDate ?? ''));
    return { province, certificates: lines };
  });
}

/**
 * The certificates on a PKCS#11 token (no login: certificates are public objects).
 * @param {string} modulePath
 * @param {{ label?: string, slot?: number }} selector
 */
async function tokenCertificates(modulePath, selector) {
  const { Pkcs11Tokens } = await import('@kyso/token/node');
  const { parseCertificateDer } = await import('@kyso/core');
  const tokens = Pkcs11Tokens.open({ modulePath });
  const found = await tokens.certificates(selector);
  return found.map((c) => ({
    source: `token:${c.label || c.id}`,
    certificate: parseCertificateDer(c.certificate),
  }));
}

const HEAD = {
  national: { vi: 'Quy định chung toàn quốc', en: 'National rules' },
  province: { vi: 'Tỉnh', en: 'Province' },
  none: { vi: '  (không có chứng thư nào)', en: '  (no certificate)' },
  last: { vi: 'hạn cuối đề nghị gia hạn', en: 'last day to request renewal' },
  passed: { vi: 'đã qua', en: 'passed' },
  none2: { vi: 'không còn gia hạn được', en: 'can no longer be renewed' },
  expires: { vi: 'hết hạn', en: 'expires' },
  handled: { vi: 'nơi xử lý', en: 'handled by' },
  wd: { vi: 'thời hạn xử lý', en: 'processing deadline' },
  wdUnit: { vi: 'ngày làm việc', en: 'working days' },
  today: { vi: 'nếu đề nghị hôm nay thì xong trước', en: 'if requested today, done by' },
  onLast: { vi: 'nếu đề nghị vào ngày cuối thì xong trước', en: 'if requested on the last day, done by' },
  noDeadline: {
    vi: 'các văn bản kyso đã ghi nhận không quy định số ngày làm việc',
    en: 'no working-day deadline in the texts encoded',
  },
  copy: { vi: 'đồng gửi', en: 'copy to' },
};

/**
 * @param {ProvincePlan[]} plans
 * @param {string} at
 * @param {'vi' | 'en'} lang
 */
export function renderPlan(plans, at, lang) {
  /** @param {keyof typeof HEAD} k */
  const t = (k) => HEAD[k][lang];
  const out = [
    lang === 'vi'
      ? `Chứng thư số cần gia hạn, tính đến ngày ${at}`
      : `Certificates due for renewal, as of ${at}`,
  ];
  for (const plan of plans) {
    out.push('', plan.province ? `== ${t('province')}: ${plan.province}` : `== ${t('national')}`);
    if (plan.certificates.length === 0) out.push(t('none'));
    for (const c of plan.certificates) {
      const last = c.latestRequestDate
        ? `${t('last')} ${c.latestRequestDate}${c.daysToLatestRequest !== null && c.daysToLatestRequest < 0 ? ` (${t('passed')})` : ''}`
        : t('none2');
      out.push(
        `- ${c.commonName ?? c.subject} [${c.kind}] (${c.source}); ${t('expires')} ${c.notAfter}; ${last}`,
      );
      out.push(`    ${t('handled')}: ${c.handledBy ?? '?'}${c.form ? ` (${c.form})` : ''}`);
      if (c.copyTo) out.push(`    ${t('copy')}: ${c.copyTo}`);
      const open = c.latestRequestDate !== null && (c.daysToLatestRequest ?? -1) >= 0;
      // Once the last day has passed there is nothing to plan: a new certificate must be issued.
      if (open && c.workingDays === null) out.push(`    ${t('wd')}: ${t('noDeadline')}`);
      else if (open) {
        out.push(`    ${t('wd')}: ${c.workingDays} ${t('wdUnit')}`);
        if (c.doneByIfRequestedToday) out.push(`    ${t('today')} ${c.doneByIfRequestedToday}`);
        if (c.doneByIfRequestedOnLastDay) out.push(`    ${t('onLast')} ${c.doneByIfRequestedOnLastDay}`);
      }
      for (const r of c.reasons) out.push(`    · ${r[lang]} (${r.citation})`);
    }
  }
  return `${out.join('\n')}\n`;
}

async function main() {
  const { values } = parseArgs({
    options: {
      certs: { type: 'string', multiple: true, default: [] },
      module: { type: 'string' },
      'token-label': { type: 'string' },
      slot: { type: 'string' },
      at: { type: 'string' },
      province: { type: 'string', multiple: true, default: [] },
      within: { type: 'string' },
      json: { type: 'boolean', default: false },
      lang: { type: 'string', default: 'vi' },
    },
  });
  if (values.certs.length === 0 && !values.module) {
    console.error(
      'Cách dùng / usage: node examples/renewals/renewals.mjs --certs <thư mục|tệp> | --module <PKCS#11 .so> [--at YYYY-MM-DD] [--province …] [--within N] [--json]',
    );
    process.exit(2);
  }
  const at = values.at ?? vietnamDate(new Date());
  for (const p of values.province) parseProvince(p);
  const provinces = values.province.length > 0 ? values.province : [null, ...PROVINCES];
  const certs = values.certs.flatMap((path) =>
    readCertificates(path).map((certificate) => ({ source: path, certificate })),
  );
  if (values.module) {
    certs.push(
      ...(await tokenCertificates(values.module, {
        ...(values['token-label'] ? { label: values['token-label'] } : {}),
        ...(values.slot ? { slot: Number(values.slot) } : {}),
      })),
    );
  }
  const within = values.within === undefined ? undefined : Number(values.within);
  const plans = renewalPlan(certs, { at, provinces, ...(within !== undefined ? { within } : {}) });
  process.stdout.write(
    values.json
      ? `${JSON.stringify({ at, plans }, null, 2)}\n`
      : renderPlan(plans, at, values.lang === 'en' ? 'en' : 'vi'),
  );
}

if (process.argv[1] && import.meta.url === pathToFileURL(process.argv[1]).href) await main();
