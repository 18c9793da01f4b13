import type en from '../locales/en.json'

/** English is the reference: every other message file has exactly its keys. */
export type MessageSchema = typeof en

type Leaves<T, Prefix extends string = ''> = {
  [K in keyof T & string]: T[K] extends string ? `${Prefix}${K}` : Leaves<T[K], `${Prefix}${K}.`>
}[keyof T & string]

/** A message's dotted path in the message files, such as `notice.wrongCode`. */
export type MessageKey = Leaves<MessageSchema>

/**
 * Words to show, not yet in a language: a key, its named values and, for a plural message,
 * the count that picks the form (also available as `{n}`). Numbers are formatted for the reader.
 * Code that decides what to say returns these; components turn them into text, so a notice
 * on screen follows a change of language.
 */
export interface Message {
  key: MessageKey
  values?: Record<string, string | number>
  count?: number
}
