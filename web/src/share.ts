// The page's state in its URL: a bundled scenario by file name (or the edited text, compressed),
// the selected profile and step. Deep links: ?scenario=<bundled file name>&profile=<profile>.

export interface Shared { file?: string; text?: string; profile?: string; step?: number }

async function pipe(data: Uint8Array, stream: CompressionStream | DecompressionStream): Promise<Uint8Array> {
  const out = new Blob([data as BlobPart]).stream().pipeThrough(stream);
  return new Uint8Array(await new Response(out).arrayBuffer());
}

function b64url(bytes: Uint8Array): string {
  let s = '';
  for (const b of bytes) s += String.fromCharCode(b);
  return btoa(s).replace(/\+/g, '-').replace(/\//g, '_').replace(/=+$/, '');
}

function unb64url(s: string): Uint8Array {
  const bin = atob(s.replace(/-/g, '+').replace(/_/g, '/'));
  return Uint8Array.from(bin, (c) => c.charCodeAt(0));
}

export async function encodeShared(s: Shared): Promise<string> {
  const p = new URLSearchParams();
  if (s.file) p.set('scenario', s.file);
  else if (s.text !== undefined) p.set('json', b64url(await pipe(new TextEncoder().encode(s.text), new CompressionStream('deflate-raw'))));
  if (s.profile) p.set('profile', s.profile);
  if (s.step !== undefined) p.set('step', String(s.step));
  return `#${p.toString()}`;
}

/** Reads the query (deep links) and the hash (shared state); the hash wins where both say something. */
export async function decodeShared(loc: Location): Promise<Shared> {
  const out: Shared = {};
  for (const p of [new URLSearchParams(loc.search), new URLSearchParams(loc.hash.replace(/^#/, ''))]) {
    const file = p.get('scenario');
    if (file) { out.file = file; delete out.text; }
    const json = p.get('json');
    if (json) {
      try {
        out.text = new TextDecoder().decode(await pipe(unb64url(json), new DecompressionStream('deflate-raw')));
        delete out.file;
      } catch {
        // A damaged link: fall back to the default scenario.
      }
    }
    const profile = p.get('profile');
    if (profile) out.profile = profile;
    const step = p.get('step');
    if (step !== null && /^\d+$/.test(step)) out.step = Number(step);
  }
  return out;
}
