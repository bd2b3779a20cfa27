import { app, dialog } from 'electron';
import { autoUpdater } from 'electron-updater';

/**
 * Updates from the hub's intranet (setting 桌面版更新地址): electron-updater's generic provider reads latest.yml
 * there, downloads the installer and checks its SHA-512 against latest.yml before installing (on Windows also the
 * publisher's signature when the installer is signed). Off when the setting is empty or in development.
 */
export function startUpdates(url: string, log: (line: string) => void): void {
  if (!url || !app.isPackaged) return;
  autoUpdater.setFeedURL({ provider: 'generic', url });
  autoUpdater.autoDownload = true;
  autoUpdater.autoInstallOnAppQuit = true;
  autoUpdater.on('error', (e) => log(`更新检查失败：${e.message}`));
  autoUpdater.on('update-downloaded', (info) => {
    void dialog
      .showMessageBox({ type: 'info', buttons: ['立即重启安装', '稍后(退出时安装)'], title: '有新版本', message: `新版本 ${info.version} 已下载并通过校验。` })
      .then((r) => r.response === 0 && autoUpdater.quitAndInstall());
  });
  void autoUpdater.checkForUpdates().catch((e: Error) => log(`更新检查失败：${e.message}`));
}
