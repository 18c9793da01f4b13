/**
 * Password hashing with Argon2id (`@node-rs/argon2`, prebuilt binaries, no build step), at the
 * library's defaults: 19 MiB of memory, 2 passes, 1 lane, the minimum OWASP recommends.
 */
import { hash, verify } from '@node-rs/argon2'
import type { User } from './store.js'

export function hashPassword(password: string): Promise<string> {
  return hash(password)
}

let decoyHash: Promise<string> | undefined

/**
 * Whether `password` is `user`'s. An unknown address costs one hash check as a known one does,
 * so the time taken does not tell which addresses have an account.
 */
export async function passwordMatches(user: User | undefined, password: string): Promise<boolean> {
  decoyHash ??= hash('the decoy that unknown addresses are checked against')
  const matches = await verify(user?.passwordHash ?? (await decoyHash), password)
  return user !== undefined && matches
}
