/**
 * Shortest and longest code any deployment may draw (the `codeLength` setting's range, S1).
 * verifyOtp refuses a code outside it before reading anything; within it, the length must be
 * the one stored on the session.
 */
export const MIN_CODE_LENGTH = 4
export const MAX_CODE_LENGTH = 10
