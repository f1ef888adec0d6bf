import { cpSync, mkdtempSync, readFileSync, writeFileSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { ContentError, DEFAULT_CONTENT_DIR, loadReferential } from './load-referential'

function copyContent(): string {
  const dir = mkdtempSync(join(tmpdir(), 'jalon-content-'))
  cpSync(DEFAULT_CONTENT_DIR, dir, { recursive: true })
  return dir
}

describe('loadReferential', () => {
  it('names the file and the JSON path of a malformed entry', () => {
    const dir = copyContent()
    const file = join(dir, 'areas.json')
    const data = JSON.parse(readFileSync(file, 'utf8'))
    data.areas[2].color = 'purple'
    writeFileSync(file, JSON.stringify(data))
    expect(() => loadReferential(dir)).toThrow(ContentError)
    expect(() => loadReferential(dir)).toThrow(/areas\.json at areas\[2\]\.color/)
  })

  it('refuses a file that is not JSON', () => {
    const dir = copyContent()
    writeFileSync(join(dir, 'target-profiles.json'), '{ oops')
    expect(() => loadReferential(dir)).toThrow(/target-profiles\.json: not valid JSON/)
  })
})
