import { StrictMode } from 'react'
import { createRoot } from 'react-dom/client'
import '../i18n'
import '../styles.css'
import { OrgaApp } from './OrgaApp'

createRoot(document.getElementById('root')!).render(
  <StrictMode>
    <OrgaApp />
  </StrictMode>,
)
