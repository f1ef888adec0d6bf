import { useEffect } from 'react'

/** Each screen names itself in the tab title (the first thing a screen reader announces after navigation). */
export function useDocumentTitle(title: string): void {
  useEffect(() => {
    document.title = `${title} — Jalon Orga`
  }, [title])
}
