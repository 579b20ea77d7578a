/**
 * Seals small secrets (env var values) for storage. Implementations must be authenticated: a
 * wrong key, a tampered ciphertext or a mismatched context fails with AppError 'decryption_failed'
 * instead of returning garbage.
 */
export interface SecretBox {
  /** Id of the key new ciphertexts are sealed with. */
  readonly currentKeyId: string
  /**
   * `context` is bound into the ciphertext as associated data (e.g. `env:<functionId>:<NAME>`),
   * so a sealed value copied to another row does not decrypt there.
   */
  encrypt(plaintext: Uint8Array, context?: string): Uint8Array
  decrypt(sealed: Uint8Array, context?: string): Uint8Array
  /** The key id a ciphertext was sealed with, without decrypting it (for re-encryption after rotation). */
  keyIdOf(sealed: Uint8Array): string
}
