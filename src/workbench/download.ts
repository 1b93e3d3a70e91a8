/** "Download my code": the learner's files as <slug>-my-code.zip, folder <slug>/ inside. */
import { createZip } from './zip.ts';

export function downloadFiles(slug: string, files: Record<string, string>): void {
  const zip = createZip(Object.entries(files).map(([name, data]) => ({ name: `${slug}/${name}`, data })));
  const url = URL.createObjectURL(new Blob([zip as Uint8Array<ArrayBuffer>], { type: 'application/zip' }));
  const a = document.createElement('a');
  a.href = url;
  a.download = `${slug}-my-code.zip`;
  document.body.append(a);
  a.click();
  a.remove();
  // The click starts the download synchronously; revoke on the next tick to free the blob.
  setTimeout(() => URL.revokeObjectURL(url), 0);
}
