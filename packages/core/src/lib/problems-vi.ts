/**
 * Vietnamese for the reasons revocation checking records when a status stays unknown
 * (`RevocationRecord.problems`, English by contract) and for the transport and parse errors those
 * reasons quote. A Vietnamese message says it all in Vietnamese: a reason this table does not know
 * becomes a Vietnamese summary, and the detail stays in the English message.
 */

type Rule = [RegExp, (m: RegExpExecArray) => string];

const CRL_KIND = (k: string) => (k === 'delta CRL' ? 'CRL delta' : 'CRL');

const THING: Record<string, string> = {
  CRL: 'CRL',
  'OCSP response': 'phản hồi OCSP',
  'X.509 certificate': 'chứng thư số X.509',
  'CMS SignedData': 'dữ liệu CMS SignedData',
  'timestamp token': 'dấu thời gian',
};

/** Vietnamese for the transport layer's own reasons (the `why` of TRANSPORT_FAILED). */
const NETWORK: Record<string, string> = {
  'fetch failed': 'không kết nối được',
  'connection refused': 'máy chủ từ chối kết nối',
  'host not found': 'không tìm thấy máy chủ',
  'connection reset': 'kết nối bị ngắt',
  'network unreachable': 'không có đường mạng tới máy chủ',
  'not a valid URL': 'địa chỉ URL không hợp lệ',
};

const RULES: Rule[] = [
  // Prefixes that name where a reason came from: translate the rest.
  [/^(https?:\/\/\S+): ([\s\S]+)$/, (m) => `${m[1]}: ${problemVi(m[2]!)}`],
  [/^stored OCSP response: ([\s\S]+)$/, (m) => `phản hồi OCSP lưu kèm tài liệu: ${problemVi(m[1]!)}`],
  // CRLs (revocation/crl-status.ts).
  [/^no CRL covers this certificate$/, () => 'không có CRL nào bao quát chứng thư số này'],
  [
    /^the CRLs found do not cover every revocation reason$/,
    () => 'các CRL tìm được không bao quát mọi lý do thu hồi',
  ],
  [
    /^the CRL signer "([\s\S]*)" may not sign CRLs \(no cRLSign\)$/,
    (m) => `bên ký CRL "${m[1]}" không được phép ký CRL (thiếu cRLSign)`,
  ],
  [
    /^CRL issuer paths nest too deeply$/,
    () => 'đường dẫn chứng thực của bên phát hành CRL lồng nhau quá sâu',
  ],
  [
    /^the certificate of the CRL issuer does not validate$/,
    () => 'chứng thư số của bên phát hành CRL không hợp lệ',
  ],
  [
    /^no CRL signature verifies with a key of its issuer$/,
    () => 'không có chữ ký CRL nào đúng với khóa của bên phát hành',
  ],
  [
    /^a (CRL|delta CRL) has a critical extension kyso does not process$/,
    (m) => `một ${CRL_KIND(m[1]!)} có phần mở rộng bắt buộc (critical) mà kyso không xử lý`,
  ],
  [
    /^the (CRL|delta CRL) expired on (\S+) \(nextUpdate\)$/,
    (m) => `${CRL_KIND(m[1]!)} đã hết hạn ngày ${m[2]} (nextUpdate)`,
  ],
  [
    /^a (CRL|delta CRL) has no CRL number \(RFC 5280 §5\.2\.3\) and is discarded$/,
    (m) => `một ${CRL_KIND(m[1]!)} không có số CRL (RFC 5280 §5.2.3) nên bị loại bỏ`,
  ],
  [
    /^a (CRL|delta CRL) marks its CRL number critical \(RFC 5280 §5\.2\.3\) and is discarded$/,
    (m) => `một ${CRL_KIND(m[1]!)} đánh dấu số CRL là bắt buộc (critical) (RFC 5280 §5.2.3) nên bị loại bỏ`,
  ],
  [
    /^the CRL entry has a critical extension kyso does not process$/,
    () => 'mục thu hồi trong CRL có phần mở rộng bắt buộc (critical) mà kyso không xử lý',
  ],
  // OCSP (revocation/ocsp.ts).
  [/^the responder answered (\w+)$/, (m) => `máy chủ OCSP trả lời ${m[1]}`],
  [/^the response is not about this certificate$/, () => 'phản hồi OCSP không nói về chứng thư số này'],
  [
    /^the response nonce does not match the request \(replayed response\?\)$/,
    () => 'nonce của phản hồi OCSP không khớp yêu cầu (phản hồi bị phát lại?)',
  ],
  [
    /^the response signature does not verify with the CA key$/,
    () => 'chữ ký của phản hồi OCSP không đúng với khóa của CA',
  ],
  [
    /^the delegated responder was not certified by the CA of the certificate$/,
    () => 'máy chủ OCSP được ủy quyền không do CA của chứng thư số cấp',
  ],
  [
    /^the delegated responder lacks extended key usage OCSPSigning$/,
    () => 'máy chủ OCSP được ủy quyền thiếu mục đích sử dụng mở rộng OCSPSigning',
  ],
  [
    /^the delegated responder certificate is not valid at the validation time$/,
    () => 'chứng thư số của máy chủ OCSP được ủy quyền không có hiệu lực tại thời điểm kiểm tra',
  ],
  [
    /^the response signature does not verify with the delegated responder key$/,
    () => 'chữ ký của phản hồi OCSP không đúng với khóa của máy chủ được ủy quyền',
  ],
  [
    /^the response is signed by a responder kyso cannot tie to the CA$/,
    () => 'phản hồi OCSP do một máy chủ không gắn được với CA ký',
  ],
  [
    /^the response is stale \(valid until (\S+)\)$/,
    (m) => `phản hồi OCSP đã cũ (chỉ có hiệu lực đến ${m[1]})`,
  ],
  [/^the responder does not know the certificate$/, () => 'máy chủ OCSP không biết chứng thư số này'],
  // Transport errors (transport.ts, transport-http.ts) quoted by a reason.
  [/^fetching (\S+) failed: ([\s\S]+)$/, (m) => `tải ${m[1]} thất bại: ${networkVi(m[2]!)}`],
  [/^offline: refused to fetch (\S+)$/, (m) => `chế độ ngoại tuyến: không tải ${m[1]}`],
  [
    /^refused to fetch (\S+): only http and https are used$/,
    (m) => `từ chối tải ${m[1]}: chỉ dùng http và https`,
  ],
  [/^no answer from (\S+) within (\d+) ms$/, (m) => `không nhận được trả lời từ ${m[1]} trong ${m[2]} ms`],
  [/^(\S+) sent more than (\d+) bytes$/, (m) => `${m[1]} trả về hơn ${m[2]} byte`],
  // Parse errors quoted by a reason: the detail (ASN.1 offsets) stays in the English message.
  [
    /^not a valid (CRL|OCSP response|X\.509 certificate|CMS SignedData|timestamp token)\b/,
    (m) => `dữ liệu nhận được không phải ${THING[m[1]!]} hợp lệ`,
  ],
  [
    /^unsupported (digest|signature) algorithm (\S+)/,
    (m) => `thuật toán ${m[1] === 'digest' ? 'băm' : 'chữ ký'} ${m[2]} không được hỗ trợ`,
  ],
];

/** The Vietnamese of a transport failure's reason (`connection refused (ECONNREFUSED)`, `HTTP 404`). */
export function networkVi(why: string): string {
  const http = /^HTTP (\d+)$/.exec(why);
  if (http) return `máy chủ trả về mã HTTP ${http[1]}`;
  const coded = /^([a-z ]+?)(?: \(([A-Z_]+)\))?$/i.exec(why);
  const base = coded ? NETWORK[coded[1]!] : undefined;
  if (base) return coded![2] ? `${base} (${coded![2]})` : base;
  return 'lỗi mạng (chi tiết trong thông báo tiếng Anh)';
}

/**
 * The Vietnamese of one English revocation reason. Unknown reasons give a Vietnamese summary
 * rather than English inside a Vietnamese message.
 */
export function problemVi(problem: string): string {
  for (const [re, vi] of RULES) {
    const m = re.exec(problem);
    if (m) return vi(m);
  }
  return 'lỗi khác khi kiểm tra thu hồi (chi tiết trong thông báo tiếng Anh)';
}
