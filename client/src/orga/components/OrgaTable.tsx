import type { ReactNode } from 'react'

interface OrgaTableProps {
  /** Accessible name of the scrollable region: the id of a heading, or a label. */
  labelledBy?: string
  label?: string
  caption?: ReactNode
  /** Column headers; `false`/`null` entries are skipped (columns shown only to some users). */
  columns: (string | false | null)[]
  /** The body rows (`<tr>`). */
  children: ReactNode
}

/**
 * A data table in a keyboard-scrollable region (focusable, named), so wide tables stay usable at 320 px
 * without scrolling the page. Every Orga list uses it.
 */
export function OrgaTable({ labelledBy, label, caption, columns, children }: OrgaTableProps) {
  return (
    <div className="orga-table-wrap" tabIndex={0} role="region" aria-labelledby={labelledBy} aria-label={label}>
      <table className="orga-table">
        {caption ? <caption>{caption}</caption> : null}
        <thead>
          <tr>
            {columns
              .filter((c): c is string => Boolean(c))
              .map((c) => (
                <th scope="col" key={c}>
                  {c}
                </th>
              ))}
          </tr>
        </thead>
        <tbody>{children}</tbody>
      </table>
    </div>
  )
}
