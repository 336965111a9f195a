/**
 * Which files of content/ are articles, as the import reads them from disk: what editors,
 * note apps and other systems leave beside the articles is not published.
 */
import { mkdir, mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { readArticleFiles } from '../../functions/local/content-files.js';

let root: string;
const ARTICLE = '---\ntitle: An article\n---\nText.\n';

beforeAll(async () => {
  root = await mkdtemp(join(tmpdir(), 'pressrun-content-files-'));
  const files: Record<string, string | Buffer> = {
    'content/2025-01-02-a.md': ARTICLE,
    'content/notes.txt': 'A title\n\nText.\n',
    'content/sub/2025-01-03-b.markdown': ARTICLE,
    'content/picture.png': Buffer.from([0x89, 0x50, 0x4e, 0x47]),
    // A note deleted in Obsidian, kept in its trash folder.
    'content/.trash/2024-12-01-retracted.md': ARTICLE,
    // macOS's AppleDouble companion of a file copied to a shared or FAT drive: binary, named like the article.
    'content/._2025-01-02-a.md': Buffer.from([0x00, 0x05, 0x16, 0x07, 0x00, 0x02, 0x00, 0x00, 0xe9]),
    'content/sub/.hidden.md': ARTICLE,
  };
  for (const [name, body] of Object.entries(files)) {
    await mkdir(join(root, name, '..'), { recursive: true });
    await writeFile(join(root, name), body);
  }
});
afterAll(() => rm(root, { recursive: true, force: true }));

describe('readArticleFiles', () => {
  it('reads the Markdown and text files of every folder, and leaves out files and folders whose name starts with a dot', async () => {
    const files = await readArticleFiles(join(root, 'content'), root);
    expect(files.map((file) => file.name)).toEqual(['content/2025-01-02-a.md', 'content/notes.txt', 'content/sub/2025-01-03-b.markdown']);
    expect(files[0]!.text).toBe(ARTICLE);
  });
});
