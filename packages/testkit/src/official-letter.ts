import fontkit from '@pdf-lib/fontkit';
import { PDFDocument } from 'pdf-lib';

/**
 * A real-looking official letter (công văn) of a provincial People's Committee, in Vietnamese, as
 * Nghị định 30/2020 Phụ lục I lays one out: the issuing body and the national heading, "Số:" and
 * "Lào Cai," with blanks for the number and date (assigned later, drawn by the agency's
 * signatures), the summary, the addressee, the body, the recipients, and the signature block
 * "KT. CHỦ TỊCH / PHÓ CHỦ TỊCH … Nguyễn Văn An" with room for the signature between. Made with
 * pdf-lib in the font given (a TrueType font that covers Vietnamese: kyso's default, Liberation
 * Serif, from `defaultFontBytes()` of `@kyso/pdf-signature/node`). A4 portrait.
 */

/** Where {@link officialLetterPdf} left the blanks, in points from the page's bottom left. */
export const OFFICIAL_LETTER_LAYOUT = {
  pageHeight: 842,
  /** Just after "Số:", on its baseline less 3 pt (a 13 pt text box's bottom). */
  numberAt: { page: 1, x: 102, y: 842 - 113 },
  /** Just after "Lào Cai,". */
  dateAt: { page: 1, x: 378, y: 842 - 113 },
  /** The signer's title and name as printed. */
  title: 'KT. CHỦ TỊCH / PHÓ CHỦ TỊCH',
  name: 'Nguyễn Văn An',
} as const;

/** The letter's PDF. `fontBytes`: a TrueType font covering Vietnamese. */
export async function officialLetterPdf(fontBytes: Uint8Array): Promise<Uint8Array> {
  const H = OFFICIAL_LETTER_LAYOUT.pageHeight;
  const doc = await PDFDocument.create();
  doc.registerFontkit(fontkit);
  doc.setTitle('Về việc triển khai chữ ký số trong cơ quan nhà nước');
  const font = await doc.embedFont(fontBytes, { subset: true });
  const page = doc.addPage([595, H]);
  const text = (s: string, x: number, top: number, size = 13) =>
    page.drawText(s, { x, y: H - top, size, font });
  const centred = (s: string, cx: number, top: number, size = 13) =>
    text(s, cx - font.widthOfTextAtSize(s, size) / 2, top, size);
  const rule = (cx: number, top: number, width: number) =>
    page.drawLine({
      start: { x: cx - width / 2, y: H - top },
      end: { x: cx + width / 2, y: H - top },
      thickness: 0.6,
    });
  centred('ỦY BAN NHÂN DÂN', 150, 60, 12);
  centred('TỈNH LÀO CAI', 150, 76, 12);
  rule(150, 81, 60);
  centred('CỘNG HÒA XÃ HỘI CHỦ NGHĨA VIỆT NAM', 420, 60, 12);
  centred('Độc lập - Tự do - Hạnh phúc', 420, 76, 13);
  rule(420, 81, 170);
  text('Số:', 80, 110);
  text('Lào Cai,', 330, 110);
  centred('V/v triển khai chữ ký số', 150, 130, 12);
  centred('trong cơ quan nhà nước', 150, 145, 12);
  centred('Kính gửi: Các sở, ban, ngành thuộc tỉnh.', 300, 185);
  const body = [
    'Thực hiện Nghị định số 30/2020/NĐ-CP ngày 05 tháng 3 năm 2020 của Chính phủ về công',
    'tác văn thư, Ủy ban nhân dân tỉnh đề nghị các cơ quan, đơn vị thực hiện ký số đối với văn',
    'bản điện tử: người có thẩm quyền ký trước, văn thư ký số của cơ quan sau khi cấp số, ngày.',
    'Trong quá trình thực hiện, nếu có vướng mắc, đề nghị phản ánh về Văn phòng Ủy ban nhân',
    'dân tỉnh để được hướng dẫn./.',
  ];
  for (const [i, line] of body.entries()) text(line, 85, 220 + i * 18);
  text('Nơi nhận:', 70, 330, 12);
  text('- Như trên;', 70, 345, 11);
  text('- Lưu: VT, VP.', 70, 359, 11);
  centred('KT. CHỦ TỊCH', 430, 330);
  centred('PHÓ CHỦ TỊCH', 430, 346);
  centred('Nguyễn Văn An', 430, 450);
  return doc.save({ useObjectStreams: false });
}
