import { contextBridge, ipcRenderer } from 'electron';
import type { IncubaseBridge } from '@shared/contract';

// The page gets exactly this object: one typed entry point for every call of the contract, nothing else of Node.
const bridge: IncubaseBridge = {
  platform: 'electron',
  invoke: (name, input) => ipcRenderer.invoke('incubase:invoke', name, input),
  printToPdf: (html, suggestedName) => ipcRenderer.invoke('incubase:printToPdf', html, suggestedName),
  switchHub: (to) => ipcRenderer.invoke('incubase:switchHub', to),
  // Every desk's committed changes (the core's change feed, forwarded by the shell): live screens over IPC.
  onChanges: (listener) => {
    const handler = (_e: unknown, changes: Parameters<typeof listener>[0]) => listener(changes);
    ipcRenderer.on('incubase:changes', handler);
    return () => ipcRenderer.removeListener('incubase:changes', handler);
  },
  onStartupProgress: (listener) => {
    const handler = (_e: unknown, label: string) => listener(label);
    ipcRenderer.on('incubase:progress', handler);
    void ipcRenderer.invoke('incubase:startupProgress').then((label: string | null) => label && listener(label));
    return () => ipcRenderer.removeListener('incubase:progress', handler);
  },
};

contextBridge.exposeInMainWorld('incubase', bridge);
