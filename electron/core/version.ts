/** Shown in 系统状态 and written into submission packages (one definition, shared with the renderer). */
export { APP_VERSION } from '@shared/version';
