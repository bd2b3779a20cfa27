/** Shown in 系统状态 and written into submission packages. */
export const APP_VERSION = '0.1.0';
