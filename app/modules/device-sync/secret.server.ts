import { createCipheriv, createDecipheriv, randomBytes } from "node:crypto";

/**
 * Client secrets of Graph connections, encrypted at rest with AES-256-GCM. The key comes from
 * GRAPH_SECRET_KEY (32 bytes: 64 hex characters or base64), read on each use so a test can set
 * it. Without a key nothing is saved: the page says so, rather than keeping the secret in clear.
 * Stored as `v1.<iv>.<tag>.<ciphertext>` (base64url); the connection's id is not bound in, so a
 * stored secret can be copied between connections only by someone who can already write the table.
 */

const VERSION = "v1";
const AAD = Buffer.from("graph_connection.client_secret");

export const NO_KEY_MESSAGE =
  "The client secret cannot be saved: this server has no key to encrypt it with. Ask your administrator to set GRAPH_SECRET_KEY (64 hex characters, e.g. from `openssl rand -hex 32`) and restart the service.";

export class SecretKeyError extends Error {}

/** The key from the environment, or null when none is set; a key of the wrong length is an error. */
export function secretKey(env: NodeJS.ProcessEnv = process.env): Buffer | null {
  const raw = env.GRAPH_SECRET_KEY?.trim();
  if (!raw) return null;
  const key = /^[0-9a-f]{64}$/i.test(raw) ? Buffer.from(raw, "hex") : Buffer.from(raw, "base64");
  if (key.length !== 32) throw new SecretKeyError("GRAPH_SECRET_KEY must be 32 bytes: 64 hex characters or 44 base64 characters.");
  return key;
}

export const canStoreSecrets = () => {
  try {
    return secretKey() !== null;
  } catch {
    return false;
  }
};

export function encryptSecret(plain: string, key = secretKey()): string {
  if (!key) throw new SecretKeyError(NO_KEY_MESSAGE);
  const iv = randomBytes(12);
  const cipher = createCipheriv("aes-256-gcm", key, iv);
  cipher.setAAD(AAD);
  const ct = Buffer.concat([cipher.update(plain, "utf8"), cipher.final()]);
  return [VERSION, iv.toString("base64url"), cipher.getAuthTag().toString("base64url"), ct.toString("base64url")].join(".");
}

export function decryptSecret(stored: string, key = secretKey()): string {
  if (!key) throw new SecretKeyError("The connection's client secret cannot be read: GRAPH_SECRET_KEY is not set on this server.");
  const [version, iv, tag, ct] = stored.split(".");
  if (version !== VERSION || !iv || !tag || ct === undefined)
    throw new SecretKeyError("The stored client secret is not in a form this server reads.");
  try {
    const decipher = createDecipheriv("aes-256-gcm", key, Buffer.from(iv, "base64url"));
    decipher.setAAD(AAD);
    decipher.setAuthTag(Buffer.from(tag, "base64url"));
    return Buffer.concat([decipher.update(Buffer.from(ct, "base64url")), decipher.final()]).toString("utf8");
  } catch {
    throw new SecretKeyError(
      "The connection's client secret cannot be decrypted with this server's GRAPH_SECRET_KEY (was the key changed?). Enter the secret again.",
    );
  }
}
