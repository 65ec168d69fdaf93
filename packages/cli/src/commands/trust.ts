import { parseArgs } from 'node:util';
import { createCachingTransport, createHttpTransport } from '@kyso/core';
import { readCertificates, updateCrlCache } from '@kyso/core/node';
import { type CliIo, EXIT, pickLang, UsageError } from '../io.js';
import { requireFile, trustFromOptions } from './trust-options.js';

const STATUS = {
  fetched: { vi: 'đã tải', en: 'fetched' },
  fresh: { vi: 'còn hiệu lực, không tải lại', en: 'fresh, not fetched again' },
  failed: { vi: 'KHÔNG TẢI ĐƯỢC', en: 'FAILED' },
} as const;

/**
 * `kyso trust update --cache <dir>`: fetches into `dir` the CRLs that the trust profile's
 * certificates (and the TSAs' and any `--cert`) name, leaving alone those before their nextUpdate.
 * Exit 0 when every CRL is in the cache and current, 1 when one could not be fetched.
 */
export async function trust(args: readonly string[], io: CliIo): Promise<number> {
  const [sub, ...rest] = args;
  if (sub !== 'update') throw new UsageError('kyso trust takes update');
  const { values } = parseArgs({
    args: [...rest],
    allowPositionals: false,
    options: {
      cache: { type: 'string' },
      trust: { type: 'string', multiple: true, default: [] },
      profile: { type: 'string', multiple: true, default: [] },
      tsa: { type: 'string', multiple: true, default: [] },
      cert: { type: 'string', multiple: true, default: [] },
      json: { type: 'boolean', default: false },
      lang: { type: 'string' },
    },
  });
  const lang = pickLang(values.lang, io.env);
  if (!values.cache) throw new UsageError('kyso trust update needs --cache <dir>');
  const store = trustFromOptions(values.profile, values.trust);
  const extra = [...values.tsa, ...values.cert].flatMap((p) => readCertificates(requireFile(p)));
  const updates = await updateCrlCache({
    dir: values.cache,
    certificates: [...store.anchors, ...store.intermediates, ...extra],
    transport: createCachingTransport(createHttpTransport()),
    now: new Date(),
  });
  if (values.json) io.stdout(`${JSON.stringify(updates, null, 2)}\n`);
  else {
    const lines = updates.map((u) => {
      const next = u.entry?.nextUpdate ? ` (nextUpdate ${u.entry.nextUpdate})` : '';
      const why = u.error ? `: ${u.error.code}: ${lang === 'vi' ? u.error.messageVi : u.error.message}` : '';
      return `${u.url}: ${STATUS[u.status][lang]}${next}${why}`;
    });
    const failed = updates.filter((u) => u.status === 'failed').length;
    lines.push(
      lang === 'vi'
        ? `${updates.length} CRL trong ${values.cache}: ${updates.length - failed} sẵn sàng, ${failed} không tải được.`
        : `${updates.length} CRLs in ${values.cache}: ${updates.length - failed} ready, ${failed} failed.`,
    );
    if (updates.length === 0)
      lines.unshift(
        lang === 'vi'
          ? 'Không chứng thư số nào nêu điểm phân phối CRL (CRL distribution point).'
          : 'No certificate names a CRL distribution point.',
      );
    io.stdout(`${lines.join('\n')}\n`);
  }
  return updates.some((u) => u.status === 'failed') ? EXIT.failed : EXIT.ok;
}
