/** A modal built on <dialog>: focus moves in and is trapped by the browser, Escape closes, focus returns to the opener. */
import { useEffect, useId, useRef, type ReactNode } from 'react'
import { useTranslation } from 'react-i18next'

interface DialogProps {
  open: boolean
  title: string
  onClose(): void
  children: ReactNode
}

export function Dialog({ open, title, onClose, children }: DialogProps) {
  const ref = useRef<HTMLDialogElement>(null)
  const titleId = useId()
  const { t } = useTranslation()
  useEffect(() => {
    const dialog = ref.current
    if (!dialog) return
    if (open && !dialog.open) {
      const opener = document.activeElement as HTMLElement | null
      dialog.showModal()
      return () => opener?.focus()
    }
    if (!open && dialog.open) dialog.close()
    return undefined
  }, [open])
  return (
    <dialog ref={ref} className="orga-dialog" aria-labelledby={titleId} onClose={onClose} onCancel={onClose}>
      <div className="orga-dialog-head">
        <h2 id={titleId}>{title}</h2>
        <button type="button" className="orga-link-button" onClick={onClose}>
          {t('orga.common.close')}
        </button>
      </div>
      {open ? children : null}
    </dialog>
  )
}
