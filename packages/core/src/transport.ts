import { KysoError } from './errors.js';

/**
 * The one way kyso reaches the network: CRLs, OCSP responses, issuer certificates (AIA) and
 * timestamps all go through an injected Transport. Offline verification is the same code with
 * {@link offlineTransport}.
 */

/** What a request is for; a transport may treat them differently (caching, limits). */
export type TransportPurpose = 'crl' | 'ocsp' | 'ca-issuers' | 'timestamp';

/** One request through a {@link Transport}. */
export interface TransportRequest {
  /** What the response will be used for. */
  purpose: TransportPurpose;
  /** An absolute `http:` or `https:` URL. */
  url: string;
  /** `GET` without a body, `POST` with one. */
  method: 'GET' | 'POST';
  /** The body of a POST. */
  body?: Uint8Array;
  /** Content type of the body, such as `application/ocsp-request`. */
  contentType?: string;
}

/** Fetches bytes for kyso. Implementations enforce their own timeouts and size limits. */
export interface Transport {
  /** Returns the response body, or throws a {@link KysoError} with a `TRANSPORT_*` code. */
  fetch(request: TransportRequest): Promise<Uint8Array>;
}

/** A transport that refuses every request: what `--offline` means. */
export const offlineTransport: Transport = {
  async fetch(request) {
    throw new KysoError('TRANSPORT_REFUSED', `offline: refused to fetch ${request.url}`, {
      messageVi: `chế độ ngoại tuyến: không tải ${request.url}`,
    });
  },
};
