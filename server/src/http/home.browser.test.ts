/** Browser smoke test: the built client and the home page, in Chromium, with axe. */
import { existsSync } from 'node:fs'
import { createTestDatabase, type TestDatabase } from '../../test/db'
import { seriousViolations } from '../../test/axe'
import { describeBrowser, launchBrowser } from '../../test/browser'
import { listen, type TestServer } from '../../test/http'
import { testLogger } from '../../test/logger'
import { pingDatabase } from '../db/client'
import { createApp } from './app'
import { CLIENT_DIST } from './client-assets'

describeBrowser('home page and client surfaces in Chromium', () => {
  let db: TestDatabase
  let server: TestServer
  let browser: Awaited<ReturnType<typeof launchBrowser>>

  beforeAll(async () => {
    if (!existsSync(CLIENT_DIST)) throw new Error('dist/client is missing: run `npm run build` (npm test does it first)')
    db = await createTestDatabase()
    server = await listen(createApp({ logger: testLogger, version: 'test', pingDatabase: () => pingDatabase(db.pool) }))
    browser = await launchBrowser()
  })
  afterAll(async () => {
    await browser?.close()
    await server?.close()
    await db?.drop()
  })

  it('shows the home page in French with no serious accessibility violation', async () => {
    const page = await browser.context.newPage()
    await page.goto(`${server.url}/`)
    expect(await page.locator('h1').innerText()).toContain('Jalon')
    expect(await page.getAttribute('html', 'lang')).toBe('fr')
    expect(await seriousViolations(page)).toEqual([])
  })

  it('renders the learner app and switches it to English', async () => {
    const page = await browser.context.newPage()
    const errors: string[] = []
    page.on('pageerror', (e) => errors.push(e.message))
    page.on('console', (m) => m.type() === 'error' && errors.push(m.text()))
    await page.goto(`${server.url}/app/`)
    await page.getByRole('heading', { level: 1 }).waitFor()
    expect(await page.getByRole('heading', { level: 1 }).innerText()).toBe('Bienvenue sur Jalon')
    expect(await seriousViolations(page)).toEqual([])
    await page.getByLabel('Langue').selectOption('en')
    expect(await page.getByRole('heading', { level: 1 }).innerText()).toBe('Welcome to Jalon')
    expect(await page.getAttribute('html', 'lang')).toBe('en')
    // The choice is remembered: put French back for the next surfaces.
    await page.getByLabel('Language').selectOption('fr')
    expect(errors).toEqual([])
  })

  it('renders the orga dashboard at phone width', async () => {
    const page = await browser.context.newPage()
    await page.setViewportSize({ width: 320, height: 640 })
    await page.goto(`${server.url}/orga/`)
    await page.getByRole('heading', { level: 1 }).waitFor()
    expect(await page.getByRole('heading', { level: 1 }).innerText()).toBe('Le tableau de bord des prescripteurs')
    const overflow = await page.evaluate('document.documentElement.scrollWidth > window.innerWidth')
    expect(overflow).toBe(false)
    expect(await seriousViolations(page)).toEqual([])
  })
})
