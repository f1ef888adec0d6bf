import { StrictMode } from 'react'
import { createRoot } from 'react-dom/client'
import '../i18n'
import '../styles.css'
import { LearnerApp } from './LearnerApp'

createRoot(document.getElementById('root')!).render(
  <StrictMode>
    <LearnerApp />
  </StrictMode>,
)
