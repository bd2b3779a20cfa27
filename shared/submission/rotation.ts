import { z } from 'zod';
import { HUB_ID_RE } from './globalId';
import { isFingerprint } from './fingerprint';

/**
 * Key rotation certificates: a hub that makes a new signing key states "my new key is …" and signs that
 * statement with its old key. A federation that has the old key registered accepts the new one from the
 * certificate (in the package as `key-rotations.json`, or handed over as a file), so a key change needs no second
 * phone call. The signed bytes are the exact text of `certificate` (a JSON string inside the envelope).
 */

export const ROTATION_FORMAT = 'incubase-key-rotation';

export const zRotationCertificate = z
  .object({
    format: z.literal(ROTATION_FORMAT),
    hubId: z.string().regex(HUB_ID_RE, '上报单位编号格式错误'),
    hubName: z.string().min(1).max(200),
    oldFingerprint: z.string().refine(isFingerprint, '旧公钥指纹格式错误'),
    newPublicKeyPem: z.string().min(1).max(4000),
    newFingerprint: z.string().refine(isFingerprint, '新公钥指纹格式错误'),
    createdAt: z.iso.datetime({ offset: true }),
  })
  .strict();
export type RotationCertificate = z.infer<typeof zRotationCertificate>;

/** One signed certificate: the certificate's exact JSON text and the old key's signature of it (base64). */
export const zSignedRotation = z
  .object({
    certificate: z.string().min(1).max(8000),
    signature: z.string().regex(/^[A-Za-z0-9+/]{8,200}={0,2}$/, '签名格式错误'),
  })
  .strict();
export type SignedRotation = z.infer<typeof zSignedRotation>;

/** The file and entry: every rotation of the hub's key so far, oldest first. */
export const zRotationChain = z.object({ format: z.literal('incubase-key-rotations'), rotations: z.array(zSignedRotation).min(1).max(100) }).strict();
export type RotationChain = z.infer<typeof zRotationChain>;

export function serializeCertificate(c: RotationCertificate): string {
  return JSON.stringify(c);
}
