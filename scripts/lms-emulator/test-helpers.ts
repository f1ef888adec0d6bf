/** Shared set-up of the emulator's own tests: an emulator plus a fake tool registered manually. */
import { startFakeTool, type FakeTool } from './fake-tool'
import { startLmsEmulator, type LmsEmulator, type LmsEmulatorOptions, type PlatformDetails, type RegisterToolInput } from './index'

export interface Rig {
  emu: LmsEmulator
  tool: FakeTool
  details: PlatformDetails
  close(): Promise<void>
}

export async function startRig(options: Partial<LmsEmulatorOptions> = {}, toolInput: Partial<RegisterToolInput> = {}): Promise<Rig> {
  const tool = await startFakeTool()
  const emu = await startLmsEmulator({ toolUrl: tool.url, ...options })
  const details = emu.registerTool({
    name: 'Jalon (test)',
    initiateLoginUrl: tool.loginUrl,
    targetLinkUri: tool.launchUrl,
    jwksUrl: tool.jwksUrl,
    deepLinkingUrl: tool.launchUrl,
    customParameters: { student_id: '$Person.sourcedId' },
    ...toolInput,
  })
  tool.platform = {
    issuer: details.issuer,
    clientId: details.clientId,
    deploymentId: details.deploymentId,
    authUrl: details.authLoginUrl,
    tokenUrl: details.accessTokenUrl,
    jwksUrl: details.keysetUrl,
  }
  return {
    emu,
    tool,
    details,
    close: async () => {
      await emu.close()
      await tool.close()
    },
  }
}
