/**
 * i18n: French first, English second. The language comes from ?lang=, then the saved choice,
 * then the browser (an LMS passes the user's locale in the launch URL).
 */
import i18n from 'i18next'
import { initReactI18next } from 'react-i18next'
import enCampaigns from './en/campaigns.json'
import enCommon from './en/common.json'
import enLearner from './en/learner.json'
import enOrga from './en/orga.json'
import frCampaigns from './fr/campaigns.json'
import frCommon from './fr/common.json'
import frLearner from './fr/learner.json'
import frOrga from './fr/orga.json'

// One file per area so that people working on different surfaces never edit the same file.
// Keys are used as t('learner.welcome'), t('campaigns.list.title'), …
const fr = { common: frCommon, learner: frLearner, orga: frOrga, campaigns: frCampaigns }
const en = { common: enCommon, learner: enLearner, orga: enOrga, campaigns: enCampaigns }

export const LANGUAGES = [
  { code: 'fr', label: 'Français' },
  { code: 'en', label: 'English' },
] as const
export type Language = (typeof LANGUAGES)[number]['code']

const STORAGE_KEY = 'jalon.lang'

function safeStorage(): Storage | undefined {
  try {
    return window.localStorage // blocked in some third-party iframes
  } catch {
    return undefined
  }
}

export function initialLanguage(): Language {
  const fromUrl = new URLSearchParams(window.location.search).get('lang')
  const candidates = [fromUrl, safeStorage()?.getItem(STORAGE_KEY), navigator.language]
  for (const c of candidates) {
    const code = c?.slice(0, 2).toLowerCase()
    if (code === 'fr' || code === 'en') return code
  }
  return 'fr'
}

export function setLanguage(lang: Language): void {
  safeStorage()?.setItem(STORAGE_KEY, lang)
  void i18n.changeLanguage(lang)
}

i18n.on('languageChanged', (lng) => {
  document.documentElement.lang = lng
})

void i18n.use(initReactI18next).init({
  resources: { fr: { translation: fr }, en: { translation: en } },
  lng: initialLanguage(),
  fallbackLng: 'fr',
  interpolation: { escapeValue: false },
})

export default i18n
