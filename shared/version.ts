/** The program's version: shown in 系统状态, written into submission packages, and checked between a client and the office server. */
export const APP_VERSION = '0.1.0';
