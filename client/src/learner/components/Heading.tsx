import { useEffect, useRef, type ReactNode } from 'react'

/** The screen's h1, focused when the screen changes so keyboard and screen-reader users start at the top. */
export function Heading({ children, focusKey, className }: { children: ReactNode; focusKey?: string; className?: string }) {
  const ref = useRef<HTMLHeadingElement>(null)
  useEffect(() => {
    ref.current?.focus({ preventScroll: false })
  }, [focusKey])
  return (
    <h1 ref={ref} tabIndex={-1} className={className}>
      {children}
    </h1>
  )
}
