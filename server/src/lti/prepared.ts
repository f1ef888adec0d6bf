/**
 * The launch path's statements as named prepared statements on the node-postgres connection (db/client.ts
 * pgConnectionOf): PostgreSQL parses and plans each once per connection, and no query is built per call.
 * `${value}` in the template becomes $1, $2… in order; the text is made once per call site.
 */
import { pgConnectionOf, type Db, type Tx } from '../db/client'

const texts = new WeakMap<TemplateStringsArray, string>()

/** `prepared('jalon_x_v1', db)\`SELECT … ${a}::text …\`` → rows. Change the name's version when the text changes. */
export function prepared(name: string, db: Db | Tx) {
  return async (strings: TemplateStringsArray, ...values: unknown[]): Promise<Record<string, unknown>[]> => {
    let text = texts.get(strings)
    if (text === undefined) texts.set(strings, (text = strings.reduce((acc, part, i) => `${acc}$${i}${part}`)))
    const result = await pgConnectionOf(db).query({ name, text, values })
    return result.rows as Record<string, unknown>[]
  }
}
