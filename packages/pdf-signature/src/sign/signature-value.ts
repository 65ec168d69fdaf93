import { isKysoError, type SignatureValueCheck, verifySignatureValue } from '@kyso/core';
import { PdfError } from '../errors.js';

/**
 * Core's {@link verifySignatureValue}, as every signing path of this package calls it before a value
 * is embedded: a value that does not verify, or whose signed attributes name another certificate, is
 * one error with one code whichever path found it (`PDF_SIGN_VALUE_INVALID`), so that a caller
 * branches on it once; core's other refusals (an algorithm that does not fit the key) pass as they
 * are.
 *
 * @returns The value as it goes into the SignerInfo (ECDSA as DER).
 * @throws PdfError `PDF_SIGN_VALUE_INVALID`, with core's error as its cause; KysoError
 * `SIGNATURE_ALGORITHM_REFUSED`.
 */
export async function verifiedSignatureValue(check: SignatureValueCheck): Promise<Uint8Array> {
  try {
    return await verifySignatureValue(check);
  } catch (error) {
    if (
      isKysoError(error) &&
      (error.code === 'SIGNATURE_INVALID' || error.code === 'SIGNER_CERTIFICATE_MISMATCH')
    )
      throw new PdfError(
        'PDF_SIGN_VALUE_INVALID',
        "the signature value does not verify over the signed attributes with the signer's certificate: it was made by another key, or for another preparation; nothing was embedded",
        {
          cause: error,
          messageVi:
            'giá trị chữ ký không khớp với các thuộc tính được ký và chứng thư số của người ký: chữ ký được tạo bằng khóa khác hoặc cho lần chuẩn bị khác; chưa nhúng gì',
        },
      );
    throw error;
  }
}
