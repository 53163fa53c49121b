// electron-builder afterPack hook (build/electron-builder.yml): flip the Electron fuses of the packaged
// binary before it is signed, so the shipped app cannot be turned into a general-purpose Node runtime or
// made to load code from outside its (integrity-checked) app.asar.
import fuses from '@electron/fuses';

const { FuseV1Options, FuseVersion } = fuses;

/** The fuse settings for one platform ('darwin' | 'mas' | 'win32' | 'linux'). */
export function fuseConfig(platform) {
  return {
    version: FuseVersion.V1,
    // Flipping fuses invalidates the ad-hoc signature of Apple Silicon builds; re-sign ad hoc.
    resetAdHocDarwinSignature: platform === 'darwin' || platform === 'mas',
    [FuseV1Options.RunAsNode]: false, // ELECTRON_RUN_AS_NODE would make the app a plain node binary
    [FuseV1Options.EnableCookieEncryption]: true,
    [FuseV1Options.EnableNodeOptionsEnvironmentVariable]: false, // NODE_OPTIONS=--require ... injection
    [FuseV1Options.EnableNodeCliInspectArguments]: false, // --inspect: a debugger port into the main process
    // Electron validates app.asar against the hash in the signed binary on macOS and Windows only.
    [FuseV1Options.EnableEmbeddedAsarIntegrityValidation]: platform === 'darwin' || platform === 'mas' || platform === 'win32',
    [FuseV1Options.OnlyLoadAppFromAsar]: true,
    [FuseV1Options.LoadBrowserProcessSpecificV8Snapshot]: false,
    [FuseV1Options.GrantFileProtocolExtraPrivileges]: false, // the renderer is served on app://, not file://
  };
}

/** @param {{ electronPlatformName: string, packager: { addElectronFuses(context: unknown, config: unknown): Promise<unknown> } }} context */
export default async function afterPack(context) {
  await context.packager.addElectronFuses(context, fuseConfig(context.electronPlatformName));
}
