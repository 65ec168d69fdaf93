import { createRequire } from 'node:module';
import { parseArgs } from 'node:util';
import { isKysoError } from '@kyso/core';
import { certDescribe, certVerify } from './commands/cert.js';
import { complete } from './commands/complete.js';
import { extend } from './commands/extend.js';
import { prepare } from './commands/prepare.js';
import { rules } from './commands/rules.js';
import { sign } from './commands/sign.js';
import { token } from './commands/token.js';
import { trust } from './commands/trust.js';
import { verify } from './commands/verify.js';
import { type CliIo, EXIT, pickLang, processIo, UsageError } from './io.js';

// The package's own version: `../package.json` from `src/` and from `dist/` alike.
const VERSION = (createRequire(import.meta.url)('../package.json') as { version: string }).version;

const HELP = `kyso — ký số và kiểm tra chữ ký số chuyên dùng công vụ / sign and verify Vietnamese public-service signatures

Cách dùng / Usage:
  kyso demo [--json] [--keep] [--lang vi|en]   tạo PKI thử nghiệm và in chuỗi chứng thư / build the test PKI and print its chain
  kyso verify <file.pdf|dir>... (--trust <file|dir>... | --profile vn-gov|vn-public) [--crl <file|dir>...]
       [--at <ISO time>] [--revocation hard-fail|soft-fail|none] [--offline] [--json | --json-array]
       [--crl-cache <dir>] [--jobs <n>] [--lang vi|en]
                                               kiểm tra chữ ký số trên PDF / verify the signatures of PDFs
                                               (--json: một dòng JSON mỗi tệp / one JSON line per file)
  kyso trust update --cache <dir> (--profile vn-gov|vn-public | --trust <file|dir>...) [--tsa <cert>...]
       [--cert <cert>...] [--json] [--lang vi|en]
                                               tải CRL về thư mục để kiểm tra ngoại tuyến / fetch CRLs for offline use
  kyso sign <in.pdf> -o <out.pdf> (--key <file.p12|key.pem> [--password-env VAR] [--cert <file>...]
       | --token [--module <path>] [--token-label <label>] [--key-id <hex>] [--pin-stdin] [--cert <chain>...])
       (--trust <file|dir>... | --profile vn-gov|vn-public) [--level B-B|B-T|B-LT|B-LTA] [--tsa <url>]
       [--field <name>] [--page <n> --rect <x,y,w,h>] [--reason <text>] [--location <text>] [--certify 1|2|3]
       [--crl <file|dir>...] [--revocation hard-fail|soft-fail|none] [--offline] [--json] [--lang vi|en]
       [--kind personal|organisation|number|date|copy|attachment|urgent [--image sig.png] [--seal seal.png --seal-mm 36]
        [--anchor-title "GIÁM ĐỐC" --anchor-name "Nguyễn Văn An"] [--copy-form "Sao y"] [--agency "…"]
        [--doc-number "123/UBND-VP" --number-at <page,x,y>] [--doc-date 2026-12-01 --date-at <page,x,y>]
        [--stamp-at <x,y>] [--basis personal-signature|agency-copy|digitised-incoming]
        [--reserve-seal-mm 36 [--reserve-number <page,x,y,w,h>] [--reserve-date <page,x,y,w,h>]]
        [--lock] [--pdf-a1 yes|no]]
                                               ký số PDF (kiểm tra người ký trước, NĐ 68/2024 Đ29); --kind: chữ ký
                                               hiển thị theo NĐ 30/2020 Phụ lục I / sign a PDF; --kind: the visible
                                               signatures of Decree 30/2020 Annex I
  kyso extend <in.pdf> -o <out.pdf> --level B-LT|B-LTA --tsa <url> (--trust <file|dir>... | --profile …)
                                               bổ sung dữ liệu kiểm tra dài hạn / add long-term validation data
  kyso prepare <in.pdf> -o <prepared.pdf> --state <file> --cert <signer> [--cert <chain>...] (--trust … | --profile …)
       [--field …] [--page <n> --rect …] [--kind … as for kyso sign, one signature per step]
                                               chuẩn bị ký hai bước (khóa HMAC trong KYSO_STATE_KEY) / two-step: prepare
  kyso complete <prepared.pdf> --state <file> --signature <file> --cert <signer> [--cert <chain>...] -o <out.pdf>
       (--trust … | --profile …) [--tsa <url>] [--level …]   hoàn tất ký hai bước / two-step: complete
  kyso cert verify <cert> (--trust <file|dir>... | --profile vn-gov|vn-public)
       [--intermediate <file|dir>...] [--crl <file|dir>...] [--at <ISO time>]
       [--policy <oid>...] [--explicit-policy] [--inhibit-policy-mapping] [--inhibit-any-policy]
       [--revocation hard-fail|soft-fail|none] [--offline] [--json] [--lang vi|en]
                                               kiểm tra chứng thư số / validate a certificate
  kyso cert describe <cert> [--json]           mô tả chứng thư số / describe a certificate
  kyso rules list [--province <id>] [--at <YYYY-MM-DD>] [--drafts] [--json]
                                               quy tắc có hiệu lực / rules in force
  kyso rules documents [--json]                văn bản được trích dẫn, ngày hiệu lực và nguồn / the texts cited and their dates
  kyso rules cert <cert> [--province <id>] [--at <date>] [--renewals-used <n>] [--drafts]
       [--token locked|lost|damaged]... [--revoked | --revoked-on <date>] [--security-incident]
       [--retiring] [--transferring] [--crl <file|dir>...] [--ocsp]
       [--trust <file|dir>... | --profile vn-gov|vn-public] [--intermediate <file|dir>...] [--json]
                                               gia hạn, thay đổi thông tin, thu hồi, nghĩa vụ / renewal, change, revocation, duties
  kyso rules route <issue|renewal|information-change|revocation|token-recovery|token-return|token-lost>
       [--province <id>] [--at <date>] [--drafts] [--json]
                                               nơi nhận đề nghị, cách gửi, đồng gửi / where a request goes
  kyso rules duties <token-lost|token-damaged|token-locked|security-incident|retiring|transferring>...
       [--kind personal|organisation|device] [--revocation-notice <date>] [--province <id>] [--at <date>] [--json]
                                               nghĩa vụ báo cáo của thuê bao / what a subscriber must report
  kyso rules doc recall|urgent|scope <fact>...|paper <category>...|register <ISO time> [--urgent]
       [--province <id>] [--at <date>] [--json]
                                               thu hồi, phạm vi, văn bản giấy, văn bản khẩn, đăng ký văn bản đến / document duties
  kyso rules holidays <year> [--json]          ngày nghỉ lễ / public holidays
  kyso rules workdays add <date> <n> [--json]  cộng ngày làm việc / add working days
  kyso rules calendar <year> [--province <id>] [--json]
                                               lịch báo cáo / reports due
  Tỉnh / provinces: son-la, phu-tho, ha-tinh, lao-cai, dien-bien
  kyso token list|status|certs|sign-test [--module <path>] [--slot <n> | --token-label <label>]
       [--pin-stdin] [--key-id <hex> | --fingerprint <hex> | --label <label>] [--json]
                                               thiết bị ký số / PKCS#11 tokens (PIN: prompt, --pin-stdin, KYSO_TOKEN_PIN)
  kyso --version
  kyso --help

Mã thoát / Exit codes: 0 đạt / passed, 1 có tệp không đạt hoặc không đọc được / a document failed or
  could not be read, 2 gọi sai hoặc đầu vào không dùng được / called wrong or unusable input
`;

/**
 * Runs the kyso command line with `argv` (without `node` and the script) and returns the exit code.
 * Never throws: unusable input is exit 2 with a message on stderr, and no stack trace.
 */
export async function runCli(argv: readonly string[], io: CliIo = processIo): Promise<number> {
  try {
    const [command, ...rest] = argv;
    if (command === undefined || command === '--help' || command === '-h' || command === 'help') {
      io.stdout(HELP);
      return command === undefined ? EXIT.unusable : EXIT.ok;
    }
    if (command === '--version' || command === '-v') {
      io.stdout(`${VERSION}\n`);
      return EXIT.ok;
    }
    switch (command) {
      case 'demo': {
        const { values } = parseArgs({
          args: [...rest],
          options: {
            json: { type: 'boolean', default: false },
            keep: { type: 'boolean', default: false },
            lang: { type: 'string' },
          },
          strict: true,
        });
        // Imported here: the demo carries testkit and pdf-lib (bundled), which no other command needs.
        const { demo } = await import('./commands/demo.js');
        return await demo({ json: values.json, keep: values.keep, lang: pickLang(values.lang, io.env) }, io);
      }
      case 'cert': {
        const [sub, ...args] = rest;
        if (sub === 'verify') return await certVerify(args, io);
        if (sub === 'describe') return await certDescribe(args, io);
        throw new UsageError('kyso cert takes verify or describe');
      }
      case 'rules':
        return await rules(rest, io);
      case 'token':
        return await token(rest, io);
      case 'trust':
        return await trust(rest, io);
      case 'verify':
        return await verify(rest, io);
      case 'sign':
        return await sign(rest, io);
      case 'extend':
        return await extend(rest, io);
      case 'prepare':
        return await prepare(rest, io);
      case 'complete':
        return await complete(rest, io);
      default:
        throw new UsageError(`unknown command "${command}"; try kyso --help`);
    }
  } catch (error) {
    return reportError(error, io);
  }
}

function reportError(error: unknown, io: CliIo): number {
  if (isKysoError(error)) {
    io.stderr(`kyso: ${error.code}: ${error.messageVi}\nkyso: ${error.code}: ${error.message}\n`);
    return EXIT.unusable;
  }
  if (
    error instanceof UsageError ||
    (error instanceof TypeError && 'code' in error && String(error.code).startsWith('ERR_PARSE_ARGS'))
  ) {
    io.stderr(`kyso: lỗi tham số / usage error: ${error.message}\n`);
    return EXIT.unusable;
  }
  const message = error instanceof Error ? error.message : String(error);
  io.stderr(`kyso: lỗi không mong đợi / unexpected error: ${message}\n`);
  return EXIT.unusable;
}
