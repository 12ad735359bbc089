export { SigV4Signer, SignedRequestParts } from "./signer";
export { formatAmzDate, parseHttpDate, isValidAmzDate } from "../time/utc";
export {
  normalizePath,
  canonicalUri,
  canonicalQuery,
  canonicalHeaderValue,
  canonicalHeaders,
  CanonicalHeaders,
  isSignableHeader,
  hashedPayload,
  canonicalRequest,
} from "./canonical-request";
export {
  ALGORITHM,
  credentialScope,
  stringToSign,
  deriveSigningKey,
  computeSignature,
  authorizationValue,
  SigningKeyCache,
} from "./signature";
export { uriEncode, uriEncodeBytes, percentDecode } from "./uri-encoding";
