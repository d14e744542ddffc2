import Button from '@material-ui/core/Button';

/** Saves `text` as a file through a temporary object URL. */
export function downloadText(
  text: string,
  fileName: string,
  type = 'application/yaml',
) {
  downloadBlob(new Blob([text], { type }), fileName);
}

/** Saves a Blob (text or bytes, e.g. a zip built in the browser) as a file. */
export function downloadBlob(blob: Blob, fileName: string) {
  const url = URL.createObjectURL(blob);
  const link = document.createElement('a');
  link.href = url;
  link.download = fileName;
  document.body.appendChild(link);
  link.click();
  link.remove();
  // Revoked on the next tick: the click has started the download by then.
  setTimeout(() => URL.revokeObjectURL(url), 0);
}

/** A "Download <fileName>" button saving `text` (YAML unless `type` says otherwise). */
export function DownloadButton(props: {
  text: string;
  fileName: string;
  type?: string;
}) {
  const { text, fileName, type } = props;
  return (
    <Button
      variant="outlined"
      size="small"
      onClick={() => downloadText(text, fileName, type)}
      style={{ marginRight: 8 }}
    >
      Download {fileName}
    </Button>
  );
}
