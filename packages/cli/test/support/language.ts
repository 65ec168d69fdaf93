/**
 * Telling English inside a Vietnamese message, and Vietnamese inside an English one. Technical
 * tokens (ByteRange, CRL, /Contents, TRY_LATER, OIDs, URLs, ISO times), code spans and quoted names
 * are left out: they are the same in both languages.
 */

/** English words that are not also Vietnamese words written without diacritics. */
const ENGLISH = new Set(
  `the of is are was were not only and this that with for from after before later updates update add adds
  signature signatures certificate certificates covers cover fetch failed cannot could been has have its
  changed permitted field filled annotation annotations deleted modified replaced appearance established
  revocation status valid invalid unknown responder response document file found missing refused offline
  answer within bytes sent more than expired issuer does which when there their will would should by or
  at be it was page object objects signed signing revision changes change was none anything nothing
  verifies verify verified trusted untrusted timestamp error unexpected connection reset host network`
    .split(/\s+/)
    .filter(Boolean),
);

/** What is left of a message once the parts that are the same in both languages are removed. */
function prose(message: string): string {
  return message
    .replace(/`[^`]*`/g, ' ')
    .replace(/"[^"]*"/g, ' ')
    .replace(/'[^'\s]*'/g, ' ')
    .replace(/https?:\/\/\S+/g, ' ')
    .replace(/\S*[A-Z_/.#:=0-9]\S*/g, (w) =>
      /^[a-zà-ỹđ]+[.,;:)]?$/i.test(w) && !/[A-Z]/.test(w.slice(1)) ? w : ' ',
    );
}

/** The English words in a message that should be all Vietnamese. */
export function englishIn(vi: string): string[] {
  return prose(vi)
    .toLowerCase()
    .split(/[^a-zà-ỹđ]+/)
    .filter((w) => ENGLISH.has(w));
}

const VIETNAMESE_LETTERS = /[àáảãạăằắẳẵặâầấẩẫậèéẻẽẹêềếểễệìíỉĩịòóỏõọôồốổỗộơờớởỡợùúủũụưừứửữựỳýỷỹỵđ]/i;

/** Whether an English message holds Vietnamese prose (after names given in `data` are removed). */
export function vietnameseIn(en: string, data: readonly string[] = []): boolean {
  let text = en;
  for (const d of [...data].sort((a, b) => b.length - a.length)) text = text.split(d).join(' ');
  return VIETNAMESE_LETTERS.test(prose(text));
}
