export { Sha256, sha256, SHA256_DIGEST_BYTES, SHA256_BLOCK_BYTES } from "./sha256";
export { hmacSha256 } from "./hmac";
export { Md5, md5, MD5_DIGEST_BYTES } from "./md5";
export { toHex, utf8Bytes } from "./hex";
