/**
 * One file of a `kyso verify` batch: the settings every file shares, in a form that crosses a
 * worker-thread boundary (certificates and CRLs as DER), and the verification of one file.
 */
import {
  createCachingTransport,
  createHttpTransport,
  isKysoError,
  offlineTransport,
  parseCertificateDer,
  parseCrlDer,
  type RevocationMode,
  TrustStore,
} from '@kyso/core';
import type { PdfVerificationReport, VerifyPdfOptions } from '@kyso/pdf-signature';
import { verifyPdfFile } from '@kyso/pdf-signature/node';

/** What every file of a batch is verified with; plain data, so that it can go to a worker. */
export interface VerifySettings {
  anchors: Uint8Array[];
  intermediates: Uint8Array[];
  crls: Uint8Array[];
  /** ISO 8601, or null to validate each signature at its own time. */
  at: string | null;
  revocation: RevocationMode;
  offline: boolean;
}

/** How one file fared: a report, or why it could not be read. */
export type FileOutcome =
  | { file: string; report: PdfVerificationReport }
  | { file: string; error: { code: string; message: string; messageVi: string } };

/** The options of `verifyPdfFile` that `settings` stand for (one transport per thread, with its cache). */
export function optionsOf(settings: VerifySettings): VerifyPdfOptions {
  const store = new TrustStore()
    .addAnchors(settings.anchors.map(parseCertificateDer))
    .addIntermediates(settings.intermediates.map(parseCertificateDer));
  return {
    trustAnchors: store,
    crls: settings.crls.map(parseCrlDer),
    ...(settings.at ? { at: new Date(settings.at) } : {}),
    revocation: settings.revocation,
    transport: settings.offline ? offlineTransport : createCachingTransport(createHttpTransport()),
  };
}

/**
 * Verifies one file. A file kyso cannot read (not a PDF, broken, gone, not permitted) is an outcome
 * with an error, not an exception: in a batch it is a failed document. Anything else is a bug and
 * propagates.
 */
export async function verifyOneFile(file: string, options: VerifyPdfOptions): Promise<FileOutcome> {
  try {
    return { file, report: await verifyPdfFile(file, options) };
  } catch (error) {
    if (isKysoError(error)) {
      return { file, error: { code: error.code, message: error.message, messageVi: error.messageVi } };
    }
    const sys = error as NodeJS.ErrnoException;
    if (typeof sys?.code === 'string' && typeof sys.syscall === 'string') {
      return {
        file,
        error: {
          code: 'FILE_UNREADABLE',
          message: `cannot read the file (${sys.code})`,
          messageVi: `không đọc được tệp (${sys.code})`,
        },
      };
    }
    throw error;
  }
}
