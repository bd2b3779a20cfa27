import { bridge } from '../api/client';

/** Saves a file the core produced (an export) through the browser's download, which Electron turns into a save dialog. */
export function downloadBase64(file: { fileName: string; mimeType: string; base64: string }): void {
  const bytes = Uint8Array.from(atob(file.base64), (c) => c.charCodeAt(0));
  const url = URL.createObjectURL(new Blob([bytes], { type: file.mimeType }));
  const a = document.createElement('a');
  a.href = url;
  a.download = file.fileName;
  document.body.appendChild(a);
  a.click();
  a.remove();
  setTimeout(() => URL.revokeObjectURL(url), 10_000);
}

/** Reads a file the user picked into the API's upload shape. */
export async function readUpload(file: File): Promise<{ name: string; base64: string }> {
  const buf = new Uint8Array(await file.arrayBuffer());
  let binary = '';
  for (let i = 0; i < buf.length; i += 0x8000) binary += String.fromCharCode(...buf.subarray(i, i + 0x8000));
  return { name: file.name, base64: btoa(binary) };
}

/**
 * Prints an HTML document the core rendered (statements, vouchers, certificates): to a PDF through Electron's
 * printToPDF on the desktop, through the browser's print dialog (which offers 另存为 PDF) in the web host.
 */
export async function printHtml(html: string, suggestedName: string): Promise<void> {
  if (bridge.printToPdf) {
    await bridge.printToPdf(html, suggestedName);
    return;
  }
  const frame = document.createElement('iframe');
  frame.style.position = 'fixed';
  frame.style.width = '0';
  frame.style.height = '0';
  frame.style.border = '0';
  frame.srcdoc = html;
  document.body.appendChild(frame);
  await new Promise<void>((resolve) => (frame.onload = () => resolve()));
  frame.contentWindow?.focus();
  frame.contentWindow?.print();
  setTimeout(() => frame.remove(), 60_000);
}
